import { TableDetailView } from '@/components/connections/table-detail';

export default async function TablePage({ params }: { params: Promise<{ id: string; table: string }> }) {
  const { id, table } = await params;
  return <TableDetailView connectionId={id} table={decodeURIComponent(table)} />;
}
