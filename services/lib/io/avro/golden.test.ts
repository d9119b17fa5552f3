import { describe, expect, it } from 'vitest';
import { GOLDEN_SCHEMA_ID, GOLDEN_TOPIC, goldenSerde, goldenVersions, readGolden, wireShape } from './golden.ts';
import { RECORD_TYPE_NAMES, loadSchema } from './schemas.ts';

/*
 * Any change to what a schema puts on the wire fails here until it is made on
 * purpose: `node scripts/golden-avro.ts --write` records a new version and
 * keeps the old ones, which today's reader must still decode.
 */
const REGENERATE = 'run `node scripts/golden-avro.ts --write` and review the diff';

describe('golden Avro fixtures', () => {
  for (const record of RECORD_TYPE_NAMES) {
    describe(record, () => {
      const versions = goldenVersions(record);

      it('has fixtures, the latest with the wire shape of the current schema', () => {
        expect(versions.length, `no fixtures for ${record}: ${REGENERATE}`).toBeGreaterThan(0);
        const latest = readGolden(record, versions.at(-1)!);
        expect(wireShape(loadSchema(record)), `schemas/${record}.avsc changed on the wire: ${REGENERATE}`).toBe(wireShape(latest.schema));
      });

      it('encodes the latest value to exactly the golden bytes and decodes them back', async () => {
        const latest = readGolden(record, versions.at(-1)!);
        const { serde, readerId } = await goldenSerde(record);
        expect(readerId).toBe(GOLDEN_SCHEMA_ID);
        expect(serde.encode(GOLDEN_TOPIC, latest.value).toString('hex')).toBe(latest.bytes.toString('hex'));
        expect(await serde.decode(GOLDEN_TOPIC, latest.bytes)).toStrictEqual(latest.value);
      });

      for (const version of versions) {
        it(`v${version}: today's reader decodes what that version wrote`, async () => {
          const fixture = readGolden(record, version);
          expect(fixture.bytes.readInt32BE(1)).toBe(GOLDEN_SCHEMA_ID);
          // the writer schema is registered first (id 1), then ours as the next version
          const { serde } = await goldenSerde(record, fixture.schema);
          const decoded = (await serde.decode(GOLDEN_TOPIC, fixture.bytes)) as Record<string, unknown>;
          // fields both versions have keep their values; fields added since hold their defaults
          const current = loadSchema(record) as { fields: { name: string }[] };
          const written = fixture.value as Record<string, unknown>;
          for (const { name } of current.fields) {
            if (name in written) expect(decoded[name], `${record}.${name}`).toStrictEqual(written[name]);
          }
        });
      }
    });
  }
});
