import { MappingList } from '@/components/mapping/mapping-list';

export default function MappingsPage() {
  return <MappingList />;
}
