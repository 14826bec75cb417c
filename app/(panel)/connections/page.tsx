import { ConnectionList } from '@/components/connections/connection-list';

export default function ConnectionsPage() {
  return <ConnectionList />;
}
