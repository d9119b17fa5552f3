import { describe, expect, it } from 'vitest';
import { isStockstreamerError } from '../../runtime/errors.ts';
import { createMemoryRegistry } from './registry.ts';
import { loadSchema } from './schemas.ts';

type Json = Record<string, unknown> & { fields: Record<string, unknown>[] };

function tradeSchema(): Json {
  return structuredClone(loadSchema('Trade')) as Json;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('memory schema registry', () => {
  it('gives the same schema the same id, under any subject and in any spelling', async () => {
    const registry = createMemoryRegistry();
    const id = await registry.register('stock-trades-value', tradeSchema());
    expect(await registry.register('stock-trades-value', tradeSchema())).toBe(id);
    expect(await registry.register('stock-trades.replay-value', tradeSchema())).toBe(id);
    // key order and type shorthand do not make a new schema
    const respelled = tradeSchema();
    respelled.fields[0] = { doc: respelled.fields[0]!.doc, type: { type: 'string' }, name: 'symbol' };
    expect(await registry.register('stock-trades-value', Object.fromEntries(Object.entries(respelled).reverse()))).toBe(id);
    expect(await registry.getSchema(id)).toEqual(tradeSchema());
  });

  it('gives different schemas different ids', async () => {
    const registry = createMemoryRegistry();
    const a = await registry.register('stock-trades-value', tradeSchema());
    const b = await registry.register('reddit-comments-value', loadSchema('RedditComment'));
    expect(b).not.toBe(a);
  });

  it('accepts BACKWARD compatible versions: a defaulted new field, a dropped field, a widened int', async () => {
    const registry = createMemoryRegistry();
    const v1 = await registry.register('t-value', tradeSchema());
    const v2 = tradeSchema();
    v2.fields.push({ name: 'venue', type: 'string', default: '' });
    const id2 = await registry.register('t-value', v2);
    const v3 = structuredClone(v2);
    v3.fields = v3.fields.filter((f) => f.name !== 'conditions');
    const id3 = await registry.register('t-value', v3);
    const v4 = structuredClone(v3);
    v4.fields = v4.fields.map((f) => (f.name === 'seq' ? { ...f, type: 'long' } : f));
    const id4 = await registry.register('t-value', v4);
    expect(new Set([v1, id2, id3, id4]).size).toBe(4);
    // re-registering an older version is a look-up, not a new version
    expect(await registry.register('t-value', tradeSchema())).toBe(v1);
  });

  it('rejects a new field without a default with SCHEMA_INCOMPATIBLE', async () => {
    const registry = createMemoryRegistry();
    await registry.register('t-value', tradeSchema());
    const v2 = tradeSchema();
    v2.fields.push({ name: 'venue', type: 'string' });
    const err = await rejection(registry.register('t-value', v2));
    expect(isStockstreamerError(err, 'SCHEMA_INCOMPATIBLE')).toBe(true);
    expect((err as Error).cause).toBeInstanceOf(Error);
    expect(err).toMatchObject({ poison: false, details: { subject: 't-value', version: 2 } });
  });

  it('rejects a changed field type and a renamed record with SCHEMA_INCOMPATIBLE', async () => {
    const registry = createMemoryRegistry();
    await registry.register('t-value', tradeSchema());
    const retyped = tradeSchema();
    retyped.fields = retyped.fields.map((f) => (f.name === 'price' ? { ...f, type: 'string' } : f));
    expect(isStockstreamerError(await rejection(registry.register('t-value', retyped)), 'SCHEMA_INCOMPATIBLE')).toBe(true);
    const renamed = { ...tradeSchema(), name: 'Tick' };
    expect(isStockstreamerError(await rejection(registry.register('t-value', renamed)), 'SCHEMA_INCOMPATIBLE')).toBe(true);
    // the rejected versions left no trace: the subject still has one version
    const v2 = tradeSchema();
    v2.fields.push({ name: 'venue', type: 'string', default: '' });
    await expect(registry.register('t-value', v2)).resolves.toBeTypeOf('number');
  });

  it('checks compatibility per subject only', async () => {
    const registry = createMemoryRegistry();
    await registry.register('a-value', tradeSchema());
    await expect(registry.register('b-value', loadSchema('TickerMention'))).resolves.toBeTypeOf('number');
  });

  it('rejects something that is not an Avro schema with SCHEMA_INCOMPATIBLE', async () => {
    const registry = createMemoryRegistry();
    const err = await rejection(registry.register('t-value', { type: 'record', name: 'X', fields: [{ name: 'a', type: 'nope' }] }));
    expect(isStockstreamerError(err, 'SCHEMA_INCOMPATIBLE')).toBe(true);
  });

  it('answers an unknown id with DECODE_UNKNOWN_SCHEMA', async () => {
    const registry = createMemoryRegistry();
    const err = await rejection(registry.getSchema(42));
    expect(isStockstreamerError(err, 'DECODE_UNKNOWN_SCHEMA')).toBe(true);
    expect(err).toMatchObject({ poison: true, details: { schemaId: 42 } });
  });

  it('hands out schemas that callers cannot corrupt', async () => {
    const registry = createMemoryRegistry();
    const schema = tradeSchema();
    const id = await registry.register('t-value', schema);
    schema.name = 'Changed';
    const stored = (await registry.getSchema(id)) as Json;
    expect(stored.name).toBe('Trade');
    expect(Object.isFrozen(stored)).toBe(true);
  });
});
