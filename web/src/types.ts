// The API's JSON shapes, as linesight-server writes them (see /api/v1/openapi.json).

export interface NumberSpan { number: string; first_utc: string; last_utc: string }

export interface LineRow {
  line_id: string;
  brand: string | null;
  score: number;
  current_number: string | null;
  numbers: NumberSpan[];
  runner_count: number;
  controller_count: number;
  customers: number;
  town: string | null;
  value_gbp: number | null;
  first_utc: string | null;
  last_utc: string | null;
  events: number;
  sparkline: { first_day: string | null; values: number[] };
}

export interface LinesResponse { total: number; towns: string[]; lines: LineRow[] }

export interface FindingBrief {
  finding_id: string;
  kind: string;
  number: string;
  line_id: string | null;
  score: number;
  at_utc: string | null;
  until_utc: string | null;
  old: string | null;
  new: string | null;
  explanation: string;
  evidence_count: number;
}

export interface DayStat { day: string; orders: number; callbacks: number; flares: number; customers: number; customers_total: number }

export interface Person { number: string; role: string; score: number | null; reasons: string[]; finding_ids: string[]; victim: boolean }

export interface ValuationCase { label: string; deal_value_gbp: number; potential_conversion: number; value_gbp: number }

export interface Valuation {
  line_id: string;
  assumptions_version: string;
  assumptions_sha256: string;
  potential_transactions: number;
  confirmed_transactions: number;
  active_days: number;
  cases: ValuationCase[];
  explanation: string;
}

export interface LineDetail extends LineRow {
  number_history: (NumberSpan & { joined_by: string; evidence_count: number })[];
  timeline: FindingBrief[];
  days: DayStat[];
  people: Person[];
  customer_findings: number;
  valuation: Valuation | null;
}

export interface Leg { imsi: string | null; imei: string | null; cell: string | null; src_sha256: string | null; src_row: number | null }

export interface EventRow {
  event_id: number;
  kind: string;
  start_utc: string;
  duration_s: number;
  legs: number;
  a_number: string;
  b_number: string | null;
  a: Leg;
  b: Leg;
}

export interface EvidencePage { line_id: string; total: number; page: number; page_size: number; rows: EventRow[] }

export interface NetNode { id: string; role: string; community: number; events: number; center: boolean }
export interface NetEdge { source: string; target: string; events: number; calls: number; texts: number; first_utc: string; last_utc: string }
export interface Network { scope: string; truncated: boolean; nodes: NetNode[]; edges: NetEdge[] }

export interface Cell { cell_id: string; operator: string; lat: number; lon: number; azimuth_deg: number; beamwidth_deg: number }
export interface Trip { finding_id: string; number: string; line_id: string | null; at_utc: string | null; until_utc: string | null; cells: string[]; explanation: string }
export interface Place { finding_id: string; resident: string; line_id: string | null; place: string | null; cells: string[]; runners: string[]; at_utc: string | null; until_utc: string | null; explanation: string }
export interface Stay { cell: string; known: boolean; first_utc: string; last_utc: string; events: number }
export interface CellPath { number: string; role: string | null; stays: Stay[]; truncated: boolean }
export interface MapData { trips: Trip[]; places: Place[]; paths: CellPath[] }

export interface SafeguardingItem {
  category: 'child_at_risk' | 'cuckooed_resident';
  summary: string;
  number: string;
  line_id: string | null;
  age: number | null;
  place: string | null;
  at_utc: string | null;
  until_utc: string | null;
  score: number;
  reasons: string[];
  finding_id: string;
}

export interface Seen { first_utc: string; last_utc: string; events: number; number?: string; imei?: string; imsi?: string }

export interface Entity {
  kind: 'number' | 'imei' | 'imsi';
  id: string;
  role?: string | null;
  events: number;
  first_utc: string | null;
  last_utc: string | null;
  lines?: string[];
  subscriber?: Record<string, string | boolean | null> | null;
  handsets?: Seen[];
  sims?: Seen[];
  numbers?: Seen[];
  top_contacts?: { number: string; events: number; role: string | null }[];
  findings_total: number;
  findings: FindingBrief[];
}

export interface CaseSummary {
  case_id: string;
  events: number;
  first_utc: string | null;
  last_utc: string | null;
  lines: number;
  value_gbp: number | null;
  safeguarding: number;
  findings_by_kind: Record<string, number>;
  analysis_run_id: string | null;
}
