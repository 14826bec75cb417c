import { ConfirmFileShape } from '@/components/files/confirm-file-shape';

export default async function SourceFilePage({ params }: { params: Promise<{ fileId: string }> }) {
  const { fileId } = await params;
  return <ConfirmFileShape fileId={fileId} />;
}
