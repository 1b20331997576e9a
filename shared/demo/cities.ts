// The demo cities local mode can seed (DEMO_CITY, README "Configuration"): a known city (its name,
// centre and time zone: shared/cities.ts) and what its generated lots are made of. Nothing here
// comes from third-party data sets: the streets are real, the lots are invented.
import { KNOWN_CITIES, type KnownCity, type KnownCityName } from '../cities';

export type DemoLotType = 'garage' | 'surface' | 'underground' | 'on_street' | 'park_and_ride';

export interface DemoStreet {
  /** As the city writes it. */
  name: string;
  /** In Latin letters, for the lot id. */
  latin: string;
}

export interface DemoKind {
  type: DemoLotType;
  weight: number;
  capacity: [number, number];
  /** Joined to a street name in the city's language: "Multi-Storey", "停车楼". */
  suffix: string;
  /** The same in Latin letters, for the lot id. */
  latinSuffix: string;
}

/** Where no car park is generated (a lake, a river): a circle. */
export interface Water {
  lat: number;
  lon: number;
  radiusMetres: number;
}

export interface DemoCity extends KnownCity {
  /** Between the street name and the kind's suffix: a space in English, nothing in Chinese. */
  separator: string;
  streets: readonly DemoStreet[];
  kinds: readonly DemoKind[];
  /** The first is the centre's zone; the rest split the town into sectors by bearing. */
  zones: readonly string[];
  water: readonly Water[];
}

const latin = (names: readonly string[]): DemoStreet[] => names.map((name) => ({ name, latin: name }));

export const BIRMINGHAM: DemoCity = {
  ...KNOWN_CITIES.birmingham,
  separator: ' ',
  streets: latin([
    'Moor Street',
    'Snow Hill',
    'Colmore Row',
    'Bull Street',
    'Corporation Street',
    'Broad Street',
    'Navigation Street',
    'Suffolk Street',
    'Digbeth High Street',
    'Bradford Street',
    'Newhall Street',
    'Great Charles Street',
    'Livery Street',
    'Edmund Street',
    'Waterloo Street',
    'Steelhouse Lane',
    'Jennens Road',
    'Curzon Street',
    'Fazeley Street',
    'Vyse Street',
    'Frederick Street',
    'Legge Lane',
    'Granville Street',
    'Holloway Head',
    'Bristol Street',
    'Hurst Street',
    'Smallbrook Queensway',
    'Masshouse Lane',
    'Dale End',
    'Albert Street',
    'Edgbaston Street',
    'Pershore Street',
    'Sherlock Street',
    'Islington Row',
    'Hagley Road',
    'Ladywood Middleway',
    'Sheepcote Street',
    'Summer Hill Road',
    'Lionel Street',
    'Ludgate Hill',
  ]),
  kinds: [
    {
      type: 'garage',
      weight: 30,
      capacity: [180, 1200],
      suffix: 'Multi-Storey',
      latinSuffix: 'Multi-Storey',
    },
    { type: 'surface', weight: 30, capacity: [25, 260], suffix: 'Car Park', latinSuffix: 'Car Park' },
    {
      type: 'underground',
      weight: 10,
      capacity: [90, 650],
      suffix: 'Underground',
      latinSuffix: 'Underground',
    },
    { type: 'on_street', weight: 25, capacity: [6, 40], suffix: 'Bays', latinSuffix: 'Bays' },
    {
      type: 'park_and_ride',
      weight: 5,
      capacity: [300, 1400],
      suffix: 'Park & Ride',
      latinSuffix: 'Park & Ride',
    },
  ],
  zones: ['city-centre', 'jewellery-quarter', 'digbeth', 'southside', 'westside', 'eastside'],
  water: [],
};

export const HANGZHOU: DemoCity = {
  ...KNOWN_CITIES.hangzhou,
  separator: '',
  streets: [
    { name: '延安路', latin: 'Yan an Lu' },
    { name: '中山北路', latin: 'Zhongshan Beilu' },
    { name: '中山中路', latin: 'Zhongshan Zhonglu' },
    { name: '体育场路', latin: 'Tiyuchang Lu' },
    { name: '凤起路', latin: 'Fengqi Lu' },
    { name: '庆春路', latin: 'Qingchun Lu' },
    { name: '解放路', latin: 'Jiefang Lu' },
    { name: '环城北路', latin: 'Huancheng Beilu' },
    { name: '武林路', latin: 'Wulin Lu' },
    { name: '湖墅南路', latin: 'Hushu Nanlu' },
    { name: '莫干山路', latin: 'Moganshan Lu' },
    { name: '文三路', latin: 'Wensan Lu' },
    { name: '文二路', latin: 'Wen er Lu' },
    { name: '天目山路', latin: 'Tianmushan Lu' },
    { name: '建国北路', latin: 'Jianguo Beilu' },
    { name: '秋涛路', latin: 'Qiutao Lu' },
    { name: '曙光路', latin: 'Shuguang Lu' },
    { name: '教工路', latin: 'Jiaogong Lu' },
    { name: '学院路', latin: 'Xueyuan Lu' },
    { name: '东新路', latin: 'Dongxin Lu' },
    { name: '石桥路', latin: 'Shiqiao Lu' },
    { name: '德胜路', latin: 'Desheng Lu' },
    { name: '朝晖路', latin: 'Zhaohui Lu' },
    { name: '潮王路', latin: 'Chaowang Lu' },
    { name: '上塘路', latin: 'Shangtang Lu' },
    { name: '钱江路', latin: 'Qianjiang Lu' },
    { name: '新业路', latin: 'Xinye Lu' },
    { name: '富春路', latin: 'Fuchun Lu' },
    { name: '婺江路', latin: 'Wujiang Lu' },
    { name: '望江路', latin: 'Wangjiang Lu' },
    { name: '清泰街', latin: 'Qingtai Jie' },
    { name: '河坊街', latin: 'Hefang Jie' },
    { name: '定安路', latin: 'Ding an Lu' },
    { name: '平海路', latin: 'Pinghai Lu' },
    { name: '东坡路', latin: 'Dongpo Lu' },
    { name: '南山路', latin: 'Nanshan Lu' },
    { name: '北山街', latin: 'Beishan Jie' },
    { name: '西湖大道', latin: 'Xihu Dadao' },
    { name: '古墩路', latin: 'Gudun Lu' },
    { name: '艮山西路', latin: 'Genshan Xilu' },
  ],
  kinds: [
    { type: 'garage', weight: 30, capacity: [180, 1200], suffix: '停车楼', latinSuffix: 'garage' },
    { type: 'surface', weight: 25, capacity: [25, 260], suffix: '停车场', latinSuffix: 'car park' },
    {
      type: 'underground',
      weight: 20,
      capacity: [120, 900],
      suffix: '地下停车场',
      latinSuffix: 'underground',
    },
    { type: 'on_street', weight: 20, capacity: [6, 40], suffix: '路边停车位', latinSuffix: 'bays' },
    {
      type: 'park_and_ride',
      weight: 5,
      capacity: [300, 1400],
      suffix: 'P+R停车场',
      latinSuffix: 'park and ride',
    },
  ],
  zones: ['wulin', 'gongshu', 'xiacheng', 'shangcheng', 'xihu', 'qianjiang-xincheng'],
  // West Lake lies south-west of Wulin Square and the Qiantang river south-east of the city: circles
  // that cover each (the river as a chain along its course), so no demo car park floats on water.
  water: [
    { lat: 30.246, lon: 120.146, radiusMetres: 1900 },
    { lat: 30.198, lon: 120.135, radiusMetres: 800 },
    { lat: 30.206, lon: 120.155, radiusMetres: 800 },
    { lat: 30.215, lon: 120.175, radiusMetres: 800 },
    { lat: 30.224, lon: 120.195, radiusMetres: 800 },
    { lat: 30.233, lon: 120.215, radiusMetres: 800 },
    { lat: 30.244, lon: 120.235, radiusMetres: 800 },
    { lat: 30.256, lon: 120.253, radiusMetres: 800 },
    { lat: 30.268, lon: 120.272, radiusMetres: 800 },
  ],
};

export const DEMO_CITIES: Record<KnownCityName, DemoCity> = { birmingham: BIRMINGHAM, hangzhou: HANGZHOU };
