import { snapshotMatrix } from './matrix';

snapshotMatrix('servicesOnly');
