import { describe, expect, it } from 'vitest';
import { inSyncProblems } from './kafka-admin.ts';

describe('inSyncProblems (what /readyz reports for Kafka)', () => {
  const topic = (partitions: [leader: number, isr: number[]][]) => ({
    name: 't', partitions: partitions.map(([leader, isr], partitionId) => ({ partitionId, leader, replicas: [1, 2, 3], isr })),
  });

  it('one of three replicas lost with two in sync is fine at min.insync.replicas=2', () => {
    expect(inSyncProblems([topic([[1, [1, 2, 3]], [2, [2, 3]]])], 2)).toEqual([]);
  });

  it('names each partition without a leader or with fewer in sync than needed', () => {
    expect(inSyncProblems([topic([[1, [1, 2]], [3, [3]], [-1, []]])], 2)).toEqual([
      't/1: 1 in sync (3), 2 needed',
      't/2: no leader (replicas 1,2,3)',
    ]);
  });

  it('at min.insync.replicas=1 (one broker) only a missing leader counts', () => {
    expect(inSyncProblems([topic([[3, [3]], [-1, []]])], 1)).toEqual(['t/1: no leader (replicas 1,2,3)']);
  });
});
