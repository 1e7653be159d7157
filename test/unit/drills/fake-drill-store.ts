import type { DrillRecord, DrillStorePort } from '../../../core/run/drill-history';

/** In memory, atomic like the blob store: JavaScript runs each create to completion between awaits. */
export class FakeDrillStore implements DrillStorePort {
  readonly records = new Map<string, DrillRecord>();
  readonly scans = new Map<string, string>();
  private key = (plan: string, occurrence: string): string => `${plan}|${occurrence}`;
  async create(record: DrillRecord): Promise<boolean> {
    const key = this.key(record.plan, record.occurrence);
    if (this.records.has(key)) return false;
    this.records.set(key, structuredClone(record));
    return true;
  }
  async update(record: DrillRecord): Promise<void> {
    this.records.set(this.key(record.plan, record.occurrence), structuredClone(record));
  }
  async get(plan: string, occurrence: string): Promise<DrillRecord | undefined> {
    const record = this.records.get(this.key(plan, occurrence));
    return record && structuredClone(record);
  }
  async list(plan: string, limit: number): Promise<DrillRecord[]> {
    return [...this.records.values()]
      .filter((r) => r.plan === plan)
      .sort((a, b) => b.occurrence.localeCompare(a.occurrence))
      .slice(0, limit)
      .map((r) => structuredClone(r));
  }
  async listOpen(plan: string, window: number): Promise<DrillRecord[]> {
    return (await this.list(plan, window)).filter((r) => r.status === 'starting' || r.status === 'running');
  }
  async lastScan(plan: string): Promise<string | undefined> {
    return this.scans.get(plan);
  }
  async setLastScan(plan: string, at: string): Promise<void> {
    this.scans.set(plan, at);
  }
}
