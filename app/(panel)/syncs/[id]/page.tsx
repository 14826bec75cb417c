import { SyncDetail } from '@/components/syncs/sync-detail';

export default async function SyncPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <SyncDetail id={id} />;
}
