// The app settings that point this app at the local lab: the ARM simulator for Site Recovery and
// Automation, Azurite for storage. The lab launcher and the integration tests pass them to the host.

/** What the settings need from a running ARM simulator (a `RunningArmSimulator` fits). */
export interface LabArmSimulator {
  /** `https://127.0.0.1:<port>` */
  endpoint: string;
  /** The simulator's CA certificate (PEM file), trusted for ARM calls only. */
  caCertPath: string;
}

export interface LabSettingsOptions {
  armSim: LabArmSimulator;
  azuriteConnectionString: string;
  /** Blob container for plans, reports, audit logs and the run registry; default `durable-recovery`. */
  container?: string;
  /** Durable task hub; default `DurableRecoveryLocal`. */
  taskHub?: string;
  /** PUBLIC_BASE_URL: where people reach the host, e.g. `http://localhost:7071` (default: WEBSITE_HOSTNAME). */
  publicBaseUrl?: string;
}

/**
 * App settings (names as in docs/configuration.md) for running this app against the lab. The CA is
 * given through DR_ARM_CA_FILE, which the adapters add to the system roots for ARM calls; setting
 * NODE_EXTRA_CA_CERTS would only work for a host started as a new process.
 */
export function labAppSettings(options: LabSettingsOptions): Record<string, string> {
  return {
    AzureWebJobsStorage: options.azuriteConnectionString,
    TASKHUB_NAME: options.taskHub ?? 'DurableRecoveryLocal',
    DR_ARM_ENDPOINT: options.armSim.endpoint,
    DR_CREDENTIAL: 'static-token',
    DR_STATIC_TOKEN: 'local-arm-simulator',
    DR_ARM_CA_FILE: options.armSim.caCertPath,
    DR_CONTAINER: options.container ?? 'durable-recovery',
    // No background readiness evaluations (and their notices) unless asked: tests evaluate on request;
    // the lab launcher turns the timer on (LAB_READINESS_INTERVAL_MINUTES).
    READINESS_INTERVAL_MINUTES: '0',
    ...(options.publicBaseUrl ? { PUBLIC_BASE_URL: options.publicBaseUrl } : {}),
  };
}
