/**
 * kafkajs 2.2.4 arms setTimeout with a negative delay (requestQueue,
 * throttledUntil = -1); Node 24 warns once per process and uses 1 ms, which
 * is what kafkajs meant. Every other warning is still printed.
 */
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name !== 'TimeoutNegativeWarning') console.error(`${w.name}: ${w.message}`);
});
