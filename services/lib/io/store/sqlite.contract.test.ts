import { describeStoreContract } from '../../../../test/contract/store-contract.ts';
import { createSqliteStore } from './sqlite.ts';

// The reference implementation of the store contract: a fresh in-memory database per test.
describeStoreContract('SQLite', async () => createSqliteStore({ path: ':memory:' }), (store) => store.close());
