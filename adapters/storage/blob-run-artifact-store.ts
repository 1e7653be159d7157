import type { BlobServiceClient } from '@azure/storage-blob';
import { PortError } from '../../core/ports/port-error';
import type { RunArtifactStorePort } from '../../core/ports/plan-store-port';
import { decisionIdPattern, type DecisionRecord } from '../../core/run/decision-record';
import { classified } from '../arm/classify-error';
import { LazyContainer, storageStatus } from './blob-container';

/** One audit line at most this big: an append block holds 4 MiB, a record should be a few hundred bytes. */
const maxAuditLineBytes = 256 * 1024;

/**
 * RunArtifactStorePort over Blob storage: `runs/<runId>/report.json` (overwritten by a repeated write,
 * so a retried writeReport activity is harmless) and `runs/<runId>/audit.jsonl`, an append blob with
 * one JSON object per line. Each append is one atomic block, so lines never interleave; order is the
 * order the service accepted them. A retried append may add the same record twice: records carrying a
 * string `id` are read back once (first occurrence wins).
 */
export class BlobRunArtifactStore implements RunArtifactStorePort {
  private readonly container: LazyContainer;

  constructor(service: BlobServiceClient, containerName: string) {
    this.container = new LazyContainer(service, containerName);
  }

  async putReport(runId: string, report: unknown): Promise<string> {
    const path = reportPath(checkRunId(runId));
    const container = await this.container.get();
    const body = Buffer.from(JSON.stringify(report, null, 2), 'utf8');
    await classified(() =>
      container.getBlockBlobClient(path).upload(body, body.length, {
        blobHTTPHeaders: { blobContentType: 'application/json; charset=utf-8' },
      }),
    );
    return path;
  }

  async getReport(runId: string): Promise<unknown> {
    const container = await this.container.get();
    const text = await readText(container.getBlockBlobClient(reportPath(checkRunId(runId))));
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  }

  async appendAudit(runId: string, record: Record<string, unknown>): Promise<void> {
    const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
    if (line.length > maxAuditLineBytes)
      throw new PortError({
        kind: 'terminal',
        code: 'AuditRecordTooLarge',
        message: `an audit record is ${line.length} bytes; the limit is ${maxAuditLineBytes}`,
      });
    const container = await this.container.get();
    const blob = container.getAppendBlobClient(auditPath(checkRunId(runId)));
    await classified(async () => {
      try {
        await blob.appendBlock(line, line.length);
      } catch (error) {
        // The first record of a run creates the log; every later one is a single request.
        if (storageStatus(error) !== 404) throw error;
        await blob.createIfNotExists({ blobHTTPHeaders: { blobContentType: 'application/x-ndjson' } });
        await blob.appendBlock(line, line.length);
      }
    });
  }

  async putDecision(record: DecisionRecord): Promise<void> {
    const container = await this.container.get();
    const body = Buffer.from(JSON.stringify(record), 'utf8');
    await classified(async () => {
      try {
        await container.getBlockBlobClient(decisionPath(record.runId, record.id)).upload(body, body.length, {
          conditions: { ifNoneMatch: '*' },
          blobHTTPHeaders: { blobContentType: 'application/json; charset=utf-8' },
        });
      } catch (error) {
        // Already written by an earlier attempt of this very request: the first record stands.
        if (storageStatus(error) !== 409) throw error;
      }
    });
  }

  async getDecision(runId: string, id: string): Promise<DecisionRecord | undefined> {
    const container = await this.container.get();
    const text = await readText(container.getBlockBlobClient(decisionPath(runId, id)));
    return text === undefined ? undefined : (JSON.parse(text) as DecisionRecord);
  }

  async readAudit(runId: string): Promise<Record<string, unknown>[]> {
    const container = await this.container.get();
    const text = await readText(container.getAppendBlobClient(auditPath(checkRunId(runId))));
    if (text === undefined) return [];
    const seen = new Set<string>();
    const records: Record<string, unknown>[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const record = JSON.parse(line) as Record<string, unknown>;
      if (typeof record.id === 'string') {
        if (seen.has(record.id)) continue;
        seen.add(record.id);
      }
      records.push(record);
    }
    return records;
  }
}

async function readText(blob: { downloadToBuffer(): Promise<Buffer> }): Promise<string | undefined> {
  return classified(async () => {
    try {
      return (await blob.downloadToBuffer()).toString('utf8');
    } catch (error) {
      if (storageStatus(error) === 404) return undefined;
      throw error;
    }
  });
}

/** Run ids are Durable instance ids; anything else must not reach a blob path. */
function checkRunId(runId: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(runId) || runId.includes('..'))
    throw new PortError({
      kind: 'terminal',
      code: 'InvalidRunId',
      message: `run id '${runId.slice(0, 80)}' must be 1-128 letters, digits, '-', '_' or '.'`,
    });
  return runId;
}

/**
 * Decisions are kept per instance, sub-plan runs included (`<run>:<step>:<attempt>:plan`, whose ':' a
 * run folder refuses), so the instance id is base64url-encoded into one path segment.
 */
function decisionPath(runId: string, id: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,255}$/.test(runId) || !decisionIdPattern.test(id))
    throw new PortError({
      kind: 'terminal',
      code: 'InvalidDecisionId',
      message: 'a decision is addressed by a run id and an 8-64 character id of letters, digits or "-"',
    });
  return `decisions/${Buffer.from(runId, 'utf8').toString('base64url')}/${id}.json`;
}

const reportPath = (runId: string): string => `runs/${runId}/report.json`;
const auditPath = (runId: string): string => `runs/${runId}/audit.jsonl`;
