import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eventually, raw, shapeMismatches, specExample, useSimFixture } from './sim-fixture';

// Some tests load their own runbooks; every test starts from the demo shop.
const fx = useSimFixture('demo-shop');

const rg = (): string => fx.sim.resourceGroup;
const account = (): string => fx.sim.automationAccount;

async function statusOf(jobName: string): Promise<string> {
  return (await fx.automation.job.get(rg(), account(), jobName)).status ?? '';
}

async function readStream(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream ?? []) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** A scenario with runbooks scripted to succeed, fail, suspend or call the lab. */
async function loadRunbooks(runbooks: object[]): Promise<void> {
  await fx.sim.control.loadScenario({
    scenario: {
      name: 'aa',
      subscriptionId: fx.sim.subscriptionId,
      vault: { name: 'vault-dr' },
      automation: { account: 'aa-dr', activationSeconds: 10, runbooks },
    },
  });
}

describe('Automation with the real @azure/arm-automation client', () => {
  it('when a runbook job is created, then it is New (201) and moves through Activating and Running to Completed with its output', async () => {
    const jobName = randomUUID();
    const created = await fx.automation.job.create(rg(), account(), jobName, {
      runbook: { name: 'ASR-SQL-FailoverAG' },
      parameters: { AvailabilityGroup: 'ag-shop' },
    });
    expect(created).toMatchObject({
      jobId: jobName,
      status: 'New',
      provisioningState: 'Processing',
      runbook: { name: 'ASR-SQL-FailoverAG' },
      parameters: { AvailabilityGroup: 'ag-shop' },
    });
    const seen = new Set<string>();
    await eventually(async () => {
      const status = await statusOf(jobName);
      seen.add(status);
      return status === 'Completed' ? status : undefined;
    });
    const statuses = (await fx.sim.control.ledger()).events
      .filter((e) => e.kind === 'runbook-job-status')
      .map((e) => e.detail?.status);
    expect(statuses).toEqual(['Activating', 'Running', 'Completed']);
    const output = await fx.automation.job.getOutput(rg(), account(), jobName);
    expect(await readStream(output.readableStreamBody)).toBe(
      'Availability group ag-shop: replica in ukwest is now primary\nListener sql-shop moved',
    );
    const streams = await fx.automation.jobStream.listByJob(rg(), account(), jobName);
    expect(streams.map((s) => s.streamType)).toEqual(['Output', 'Output']);
    const stream = await fx.automation.jobStream.get(rg(), account(), jobName, streams[0]!.jobStreamId!);
    expect(stream.streamText).toContain('ag-shop');
    const done = await fx.automation.job.get(rg(), account(), jobName);
    expect(done).toMatchObject({ status: 'Completed', provisioningState: 'Succeeded' });
    expect(done.endTime).toBeInstanceOf(Date);
  });

  it('when a job is read raw, then its shape matches the 2017-05-15-preview spec example', async () => {
    const jobName = randomUUID();
    await fx.automation.job.create(rg(), account(), jobName, {
      runbook: { name: 'ASR-DNS-Update' },
      parameters: { tag01: 'a', tag02: 'b' },
    });
    const res = await raw(
      fx.sim,
      'GET',
      `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/${rg()}/providers/Microsoft.Automation/automationAccounts/${account()}/jobs/${jobName}?api-version=2017-05-15-preview`,
    );
    const example = specExample('automation/2017-05-15-preview/getJob.json').responses['200'].body;
    expect(shapeMismatches(res.json, example)).toEqual([]);
  });

  it('when the same job name is PUT twice, then the existing job comes back and the runbook runs once', async () => {
    const jobName = randomUUID();
    await fx.automation.job.create(rg(), account(), jobName, {
      runbook: { name: 'ASR-DNS-Update' },
      parameters: { Record: 'shop' },
    });
    const again = await fx.automation.job.create(rg(), account(), jobName, {
      runbook: { name: 'ASR-DNS-Update' },
      parameters: { Record: 'shop' },
    });
    expect(again.jobId).toBe(jobName);
    const events = (await fx.sim.control.ledger()).events.filter((e) => e.kind === 'runbook-job-created');
    expect(events).toHaveLength(1);
    expect((await fx.sim.control.counters())['Job.Create']!.byOutcome).toEqual({ created: 1, existing: 1 });
  });

  it('when a runbook is scripted to fail, then the job ends Failed with the exception', async () => {
    await loadRunbooks([{ name: 'Broken', duration: 5, fail: 'Listener move failed' }]);
    const jobName = randomUUID();
    await fx.automation.job.create(rg(), account(), jobName, { runbook: { name: 'Broken' }, parameters: {} });
    await eventually(async () => ((await statusOf(jobName)) === 'Failed' ? true : undefined));
    const job = await fx.automation.job.get(rg(), account(), jobName);
    expect(job).toMatchObject({
      status: 'Failed',
      exception: 'Listener move failed',
      provisioningState: 'Failed',
    });
  });

  it('when a running job is stopped, then it ends Stopped; a suspending runbook waits for resume', async () => {
    await loadRunbooks([
      { name: 'Long', duration: 100000 },
      { name: 'Pauses', duration: 4, suspend: true },
    ]);
    const long = randomUUID();
    await fx.automation.job.create(rg(), account(), long, { runbook: { name: 'Long' }, parameters: {} });
    await eventually(async () => ((await statusOf(long)) === 'Running' ? true : undefined));
    await fx.automation.job.stop(rg(), account(), long);
    await eventually(async () => ((await statusOf(long)) === 'Stopped' ? true : undefined));

    const pauses = randomUUID();
    await fx.automation.job.create(rg(), account(), pauses, { runbook: { name: 'Pauses' }, parameters: {} });
    await eventually(async () => ((await statusOf(pauses)) === 'Suspended' ? true : undefined));
    await fx.automation.job.resume(rg(), account(), pauses);
    await eventually(async () => ((await statusOf(pauses)) === 'Completed' ? true : undefined));
    const refused = await fx.automation.job.resume(rg(), account(), pauses).catch((e: unknown) => e);
    expect(refused).toMatchObject({ statusCode: 400 });
  });

  it('when a runbook calls into the lab, then the lab receives the parameters and a failing answer fails the job', async () => {
    const { createServer } = await import('node:http');
    const received: string[] = [];
    let answer = 200;
    const lab = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(body);
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((r) => lab.listen(0, '127.0.0.1', r));
    try {
      const port = (lab.address() as { port: number }).port;
      await loadRunbooks([{ name: 'CallsLab', duration: 2, http: { url: `http://127.0.0.1:${port}/hook` } }]);
      const ok = randomUUID();
      await fx.automation.job.create(rg(), account(), ok, {
        runbook: { name: 'CallsLab' },
        parameters: { Step: 'dns' },
      });
      await eventually(async () => ((await statusOf(ok)) === 'Completed' ? true : undefined));
      expect(JSON.parse(received[0]!)).toMatchObject({ runbook: 'CallsLab', parameters: { Step: 'dns' } });
      answer = 500;
      const bad = randomUUID();
      await fx.automation.job.create(rg(), account(), bad, { runbook: { name: 'CallsLab' }, parameters: {} });
      await eventually(async () => ((await statusOf(bad)) === 'Failed' ? true : undefined));
    } finally {
      await new Promise((r) => lab.close(r));
    }
  });

  it('when a webhook is posted, then it answers 202 {JobIds} without ARM auth and the runbook gets WebhookData', async () => {
    const info = await fx.sim.control.info();
    const url = new URL(info.webhooks['dns-update-hook']!);
    const res = await raw(fx.sim, 'POST', `${url.pathname}${url.search}`, {
      token: null,
      body: { reason: 'drill' },
    });
    expect(res.status).toBe(202);
    const jobId = res.json.JobIds[0] as string;
    const job = await fx.automation.job.get(rg(), account(), jobId);
    expect(job.runbook!.name).toBe('ASR-DNS-Update');
    expect(job.parameters).toMatchObject({ Zone: 'contoso.com', Record: 'shop' });
    expect(JSON.parse(job.parameters!.WebhookData!)).toMatchObject({
      WebhookName: 'dns-update-hook',
      RequestBody: '{"reason":"drill"}',
    });
    const badToken = await raw(fx.sim, 'POST', '/webhooks?token=nope', { token: null, body: {} });
    expect(badToken.status).toBe(404);
    const hook = await fx.automation.webhook.get(rg(), account(), 'dns-update-hook');
    expect(hook).toMatchObject({ isEnabled: true, runbook: { name: 'ASR-DNS-Update' } });
  });

  it('when runbooks are listed and read, then the scenario runbooks come back; an unknown runbook is 404', async () => {
    const list = await fx.automation.runbook.listByAutomationAccount(rg(), account());
    expect(list.map((r) => r.name).sort()).toEqual(['ASR-DNS-Update', 'ASR-SQL-FailoverAG']);
    expect((await fx.automation.runbook.get(rg(), account(), 'ASR-DNS-Update')).name).toBe('ASR-DNS-Update');
    const missing = await fx.automation.job
      .create(rg(), account(), randomUUID(), { runbook: { name: 'Nope' }, parameters: {} })
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ statusCode: 404 });
  });

  it('when job parameters are not strings, then the PUT is refused with 400 naming the field', async () => {
    const res = await raw(
      fx.sim,
      'PUT',
      `/subscriptions/${fx.sim.subscriptionId}/resourceGroups/${rg()}/providers/Microsoft.Automation/automationAccounts/${account()}/jobs/${randomUUID()}?api-version=2017-05-15-preview`,
      {
        body: { properties: { runbook: { name: 'ASR-DNS-Update' }, parameters: { n: 1 } } },
      },
    );
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain('properties.parameters');
  });
});
