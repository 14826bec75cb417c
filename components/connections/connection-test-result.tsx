import type { ConnectionTestResult } from '@/lib/connectors/connector';

const reasons: Record<string, string> = {
  auth_failed: 'Wrong user name or password',
  unknown_database: 'Unknown database',
  host_unreachable: 'Host unreachable',
  timeout: 'Timed out',
  tls_required: 'The server requires TLS',
  tls_unavailable: 'The server does not offer TLS',
  tls_unverified: "The server's certificate was refused",
  unknown: 'Connection failed',
};

export function ConnectionTestResultView({ result }: { result: ConnectionTestResult }) {
  if (result.ok) {
    return (
      <p data-testid="connection-test-result" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
        Connected in {result.latencyMs} ms · {result.serverVersion}
      </p>
    );
  }
  return (
    <p data-testid="connection-test-result" role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
      <strong>{reasons[result.code] ?? reasons.unknown}:</strong> {result.message}
    </p>
  );
}
