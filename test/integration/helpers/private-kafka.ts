import { spawn, execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import './node-warnings.ts';

/**
 * A throwaway single-node Kafka (KRaft) of one test's own, on free ports, from
 * the jars `make up` fetched into .stack/kafka/lib. For tests that stop or
 * restart a broker: the shared broker of the local stack serves other test
 * files and other engineers, so it is never touched. The JVM is started and
 * stopped by its own pid; its folder is removed by stop().
 */
export interface PrivateKafka {
  brokers: string[];
  /** SIGTERM, wait for the exit, start again on the same ports and data; resolves when it answers */
  restart(): Promise<void>;
  /** SIGTERM and wait for the exit (SIGKILL after 20 s) */
  halt(): Promise<void>;
  /** start again after halt(); resolves when it answers */
  start(): Promise<void>;
  stop(): Promise<void>;
}

const REPO = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

export async function startPrivateKafka(options: { startTimeoutMs?: number } = {}): Promise<PrivateKafka> {
  const lib = join(process.env.STACK_DIR ?? join(REPO, '.stack'), 'kafka', 'lib');
  if (!existsSync(lib)) throw new Error(`no Kafka jars in ${lib}: run \`make up\` once (it fetches them)`);
  const dir = mkdtempSync(join(tmpdir(), 'stockstreamer-kafka-'));
  const [port, controllerPort] = [await freePort(), await freePort()];
  const props = join(dir, 'server.properties');
  writeFileSync(join(dir, 'log4j2.properties'), 'rootLogger.level = WARN\nrootLogger.appenderRef.out.ref = out\nappender.out.type = Console\nappender.out.name = out\nappender.out.layout.type = PatternLayout\nappender.out.layout.pattern = [%d] %p %m (%c)%n\n');
  writeFileSync(props, [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${join(dir, 'data')}`,
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=3',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    'num.network.threads=1',
    'num.io.threads=2',
    '',
  ].join('\n'));
  const jvm = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', `-Dlog4j2.configurationFile=file:${join(dir, 'log4j2.properties')}`, '-cp', `${lib}/*`];
  const clusterId = randomBytes(16).toString('base64url').replace(/^-/, 'A');
  await new Promise<void>((ok, fail) =>
    execFile('java', ['-Xmx256m', ...jvm, 'kafka.tools.StorageTool', 'format', '--ignore-formatted', '-t', clusterId, '-c', props], { timeout: 60_000 }, (err, _out, stderr) =>
      err ? fail(new Error(`formatting the private Kafka failed: ${stderr}`, { cause: err })) : ok()),
  );

  let child: ChildProcess | undefined;
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);
  const brokers = [`127.0.0.1:${port}`];

  const start = async () => {
    child = spawn('java', ['-Xms128m', '-Xmx384m', ...jvm, 'kafka.Kafka', props], { stdio: 'ignore' });
    const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
    const probe = new kafkajs.Kafka({ brokers, clientId: 'private-kafka-probe', logLevel: kafkajs.logLevel.NOTHING, connectionTimeout: 500, retry: { retries: 0 } });
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the private Kafka exited during start-up (code ${child.exitCode})`);
      const admin = probe.admin();
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        if (cluster.controller !== null) return;
      } catch {
        // not up yet
      } finally {
        await admin.disconnect().catch(() => {});
      }
      if (Date.now() > deadline) throw new Error('the private Kafka did not answer in time');
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  const halt = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };

  await start();
  return {
    brokers,
    halt,
    start,
    async restart() {
      await halt();
      await start();
    },
    async stop() {
      await halt();
      process.removeListener('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
