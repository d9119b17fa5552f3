"""Reads a topic the way a client that is not ours would, and prints JSON.

Debian's python3-confluent-kafka (librdkafka) fetches the raw records; the
Confluent wire header is taken apart by hand (magic byte, big-endian schema
id); the writer schema comes from the registry's REST API by that id; Debian's
python3-avro decodes the body with it. Nothing here shares code with
stockstreamer, so a match proves the bytes are Confluent's wire format.

usage: read-confluent.py BROKERS TOPIC REGISTRY_URL COUNT
"""
import datetime
import io
import json
import struct
import sys
import urllib.request

import avro.io
import avro.schema
from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

brokers, topic, registry, count = sys.argv[1], sys.argv[2], sys.argv[3].rstrip("/"), int(sys.argv[4])


def get_json(path):
    with urllib.request.urlopen(registry + path, timeout=5) as res:
        return json.load(res)


consumer = Consumer({
    "bootstrap.servers": brokers,
    "group.id": "read-confluent-py",  # never commits; partitions are assigned by hand
    "enable.auto.commit": False,
    "api.version.request": True,
})
partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])

readers = {}
out = []
idle = 0
while len(out) < count and idle < 20:
    msg = consumer.poll(0.5)
    if msg is None:
        idle += 1
        continue
    if msg.error():
        raise SystemExit("kafka error: %s" % msg.error())
    value = msg.value()
    magic = value[0]
    (schema_id,) = struct.unpack(">i", value[1:5])
    if schema_id not in readers:
        schema = avro.schema.parse(get_json("/schemas/ids/%d" % schema_id)["schema"])
        readers[schema_id] = avro.io.DatumReader(schema)
    body = io.BytesIO(value[5:])
    record = readers[schema_id].read(avro.io.BinaryDecoder(body))
    out.append({
        "partition": msg.partition(),
        "offset": msg.offset(),
        "key": msg.key().decode() if msg.key() is not None else None,
        "magic": magic,
        "schemaId": schema_id,
        "bodyLeft": len(value) - 5 - body.tell(),
        "record": record,
    })
consumer.close()


def plain(value):
    # timestamp-millis comes back as an aware datetime: epoch milliseconds, as written
    if isinstance(value, datetime.datetime):
        return round(value.timestamp() * 1000)
    raise TypeError(type(value))


latest = get_json("/subjects/%s-value/versions/latest" % topic)
print(json.dumps({"latestId": latest["id"], "records": out}, default=plain))
