import { DEFAULT_OPENING_HOURS, type OpeningHours, type VenueType } from '../../domain/venue.ts';
import type { Executor } from '../db/sql.ts';
import type { OrgRow } from '../modules/orgs/orgs.repository.ts';
import { insertVenue } from '../modules/venues/venues.repository.ts';

const ALL_DAY: OpeningHours = {
  mon: [{ from: '08:00', to: '21:00' }],
  tue: [{ from: '08:00', to: '21:00' }],
  wed: [{ from: '08:00', to: '21:00' }],
  thu: [{ from: '08:00', to: '21:00' }],
  fri: [{ from: '08:00', to: '21:00' }],
  sat: [{ from: '08:00', to: '21:00' }],
  sun: [{ from: '08:00', to: '21:00' }],
};

const WEEKDAYS_ONLY: OpeningHours = { ...DEFAULT_OPENING_HOURS, sat: [], sun: [] };

type DemoVenue = {
  town: string;
  type: VenueType;
  name: string;
  /** [lon, lat] WGS-84 */
  at: [number, number];
  address: string;
  capacity: number;
  facilities: string[];
  hours?: OpeningHours;
  needsApproval?: boolean;
  bookableBy?: 'district' | 'owner_subtree';
  phone: string;
};

/** A dozen venues across the towns of 柯桥, at plausible WGS-84 points near each town's centre. */
const VENUES: DemoVenue[] = [
  {
    town: '柯桥街道',
    type: 'youth_home',
    name: '柯桥街道青年之家',
    at: [120.4925, 30.0812],
    address: '柯桥街道笛扬路 1088 号',
    capacity: 80,
    facilities: ['projector', 'sound', 'wifi', 'air_conditioning'],
    hours: ALL_DAY,
    phone: '0575-8412 0001',
  },
  {
    town: '柯桥街道',
    type: 'youth_parlour',
    name: '中国轻纺城青年会客厅',
    at: [120.5012, 30.0876],
    address: '柯桥街道轻纺城大道 2 号',
    capacity: 40,
    facilities: ['projector', 'wifi', 'air_conditioning'],
    needsApproval: true,
    phone: '0575-8412 0002',
  },
  {
    town: '华舍街道',
    type: 'culture_hall',
    name: '华舍街道文化礼堂',
    at: [120.4478, 30.1043],
    address: '华舍街道华齐路 66 号',
    capacity: 300,
    facilities: ['stage', 'sound', 'parking', 'accessible'],
    needsApproval: true,
    phone: '0575-8413 0001',
  },
  {
    town: '柯岩街道',
    type: 'youth_station',
    name: '柯岩青年驿站',
    at: [120.4981, 30.0398],
    address: '柯岩街道柯岩大道 558 号',
    capacity: 30,
    facilities: ['wifi', 'kitchen'],
    hours: ALL_DAY,
    phone: '0575-8414 0001',
  },
  {
    town: '湖塘街道',
    type: 'party_mass_centre',
    name: '湖塘街道党群服务中心',
    at: [120.4233, 30.0291],
    address: '湖塘街道湖塘路 18 号',
    capacity: 120,
    facilities: ['projector', 'sound', 'computers', 'accessible'],
    hours: WEEKDAYS_ONLY,
    phone: '0575-8415 0001',
  },
  {
    town: '齐贤镇',
    type: 'youth_home',
    name: '齐贤镇青年之家',
    at: [120.5349, 30.1288],
    address: '齐贤镇齐贤大道 300 号',
    capacity: 60,
    facilities: ['projector', 'wifi'],
    phone: '0575-8416 0001',
  },
  {
    town: '安昌镇',
    type: 'culture_hall',
    name: '安昌古镇文化礼堂',
    at: [120.5121, 30.1609],
    address: '安昌镇西扆路 12 号',
    capacity: 200,
    facilities: ['stage', 'sound'],
    needsApproval: true,
    phone: '0575-8417 0001',
  },
  {
    town: '马鞍镇',
    type: 'sports_ground',
    name: '马鞍镇青年运动场',
    at: [120.5611, 30.1712],
    address: '马鞍镇滨海大道 88 号',
    capacity: 500,
    facilities: ['sports', 'parking'],
    hours: ALL_DAY,
    phone: '0575-8418 0001',
  },
  {
    town: '钱清镇',
    type: 'youth_community',
    name: '钱清镇青年社区',
    at: [120.3852, 30.0913],
    address: '钱清镇钱清大道 520 号',
    capacity: 50,
    facilities: ['wifi', 'computers'],
    phone: '0575-8419 0001',
  },
  {
    town: '杨汛桥镇',
    type: 'meeting_room',
    name: '杨汛桥镇团委会议室',
    at: [120.3311, 30.1017],
    address: '杨汛桥镇江夏路 9 号',
    capacity: 24,
    facilities: ['projector', 'air_conditioning'],
    hours: WEEKDAYS_ONLY,
    bookableBy: 'owner_subtree',
    phone: '0575-8420 0001',
  },
  {
    town: '兰亭镇',
    type: 'culture_hall',
    name: '兰亭镇文化礼堂',
    at: [120.5032, 29.9589],
    address: '兰亭镇兰亭路 1 号',
    capacity: 180,
    facilities: ['stage', 'sound', 'parking'],
    phone: '0575-8421 0001',
  },
  {
    town: '柯桥开发区',
    type: 'youth_parlour',
    name: '柯桥开发区青年会客厅',
    at: [120.4711, 30.0702],
    address: '柯桥开发区群贤路 1000 号',
    capacity: 60,
    facilities: ['projector', 'wifi', 'air_conditioning', 'computers'],
    phone: '0575-8422 0001',
  },
  {
    town: '平水镇',
    type: 'youth_station',
    name: '平水镇青年驿站',
    at: [120.6302, 29.9041],
    address: '平水镇平水大道 120 号',
    capacity: 25,
    facilities: ['wifi'],
    phone: '0575-8423 0001',
  },
];

/** Seeds the demo district's venues under their town committees (towns missing from `towns` are skipped). */
export async function seedDemoVenues(ex: Executor, districtId: number, towns: readonly OrgRow[]): Promise<number> {
  let n = 0;
  for (const v of VENUES) {
    const owner = towns.find((t) => t.name.startsWith(v.town));
    if (!owner) continue;
    await insertVenue(ex, districtId, {
      orgId: owner.id,
      gridId: null,
      type: v.type,
      name: v.name,
      location: { lon: v.at[0], lat: v.at[1] },
      address: v.address,
      capacity: v.capacity,
      facilities: v.facilities,
      openingHours: v.hours ?? DEFAULT_OPENING_HOURS,
      bookableBy: v.bookableBy ?? 'district',
      advanceDays: 30,
      maxMinutes: 240,
      needsApproval: v.needsApproval ?? false,
      contactName: '阵地服务台',
      contactPhone: v.phone,
      description: null,
    });
    n++;
  }
  return n;
}
