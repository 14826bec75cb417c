import { FileSourcesPage } from '@/components/files/file-sources-page';

export default function FilesPage() {
  return <FileSourcesPage />;
}
