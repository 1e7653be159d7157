import type { RpcTypedData } from '../extension';

/** The JSON text DTFx would store for a function's return value (`null` when it returned nothing). */
export function resultText(data: RpcTypedData | undefined): string {
  if (!data) return 'null';
  if (data.json !== undefined) return data.json;
  if (data.string !== undefined) return JSON.stringify(data.string);
  if (data.int !== undefined) return JSON.stringify(data.int);
  if (data.double !== undefined) return JSON.stringify(data.double);
  if (data.bytes !== undefined) return JSON.stringify(Buffer.from(data.bytes).toString('base64'));
  return 'null';
}

/** The value a function returned, decoded the way the worker encoded it. */
export function returnedValue(data: RpcTypedData | undefined): unknown {
  return JSON.parse(resultText(data)) as unknown;
}
