// Word lists for the generated demo company. Every name is made up; domains use real-looking TLDs.

export const COMPANY_WORDS = [
  'Northwind', 'Bluepeak', 'Silverline', 'Ironbridge', 'Brightwater', 'Summit', 'Clearpath', 'Harborview', 'Granite',
  'Cedarwood', 'Apex', 'Vertex', 'Novara', 'Quantic', 'Atlas', 'Pioneer', 'Evergreen', 'Redwood', 'Lumen', 'Vectra',
  'Helix', 'Orbital', 'Keystone', 'Meridian', 'Crescent', 'Falconer', 'Beacon', 'Horizon', 'Sterling', 'Cobalt',
  'Pinnacle', 'Riverstone', 'Stonebridge', 'Oakridge', 'Mapleton', 'Aspenwood', 'Polaris', 'Copperfield', 'Crimson',
  'Indigo', 'Emerald', 'Onyx', 'Trident', 'Zenith', 'Nimbus', 'Pulsar', 'Fusion', 'Vantage', 'Catalyst', 'Ember',
  'Solstice', 'Tidewater', 'Westfield', 'Brightline', 'Clearwater', 'Highland', 'Lakeshore', 'Parkside', 'Foxglove',
  'Kestrel', 'Larkspur', 'Ravenna', 'Sablewood', 'Thistle', 'Wrenfield', 'Alderon', 'Bramble', 'Caldera', 'Driftwood',
  'Elmstead', 'Fairhaven', 'Glenmore', 'Hollis', 'Juniper', 'Kingsley', 'Lindqvist', 'Marlow', 'Norrland', 'Ostara',
  'Quarry', 'Rosendal', 'Saltmarsh', 'Tamarack', 'Upland', 'Valemont', 'Whitlock', 'Yarrow', 'Arcadia', 'Bellweather',
] as const;

export interface Industry {
  name: string;
  suffixes: readonly string[];
  weight: number;
}

export const INDUSTRIES: readonly Industry[] = [
  { name: 'Software', suffixes: ['Software', 'Systems', 'Labs', 'Technologies', 'Cloud', 'Data', 'Analytics'], weight: 20 },
  { name: 'Manufacturing', suffixes: ['Manufacturing', 'Industries', 'Components', 'Precision', 'Fabrication'], weight: 13 },
  { name: 'Healthcare', suffixes: ['Health', 'Medical', 'Diagnostics', 'Biosciences', 'Care'], weight: 10 },
  { name: 'Financial Services', suffixes: ['Capital', 'Financial', 'Insurance', 'Payments', 'Wealth'], weight: 10 },
  { name: 'Logistics', suffixes: ['Logistics', 'Freight', 'Shipping', 'Supply', 'Transport'], weight: 7 },
  { name: 'Retail', suffixes: ['Goods', 'Outfitters', 'Market', 'Brands', 'Retail'], weight: 7 },
  { name: 'Professional Services', suffixes: ['Consulting', 'Advisors', 'Group', 'Partners', 'Associates'], weight: 9 },
  { name: 'Energy', suffixes: ['Energy', 'Power', 'Solar', 'Renewables', 'Grid'], weight: 5 },
  { name: 'Education', suffixes: ['Learning', 'Education', 'Academy', 'EdTech'], weight: 4 },
  { name: 'Telecommunications', suffixes: ['Networks', 'Telecom', 'Communications', 'Connect'], weight: 5 },
  { name: 'Construction', suffixes: ['Builders', 'Construction', 'Engineering', 'Structures'], weight: 5 },
  { name: 'Media', suffixes: ['Media', 'Studios', 'Publishing', 'Digital'], weight: 5 },
];

export interface Country {
  name: string;
  tld: string;
  legal: readonly string[];
  /** Phone formatter given random digits. */
  phone: (digits: string) => string;
  weight: number;
}

export const COUNTRIES: readonly Country[] = [
  { name: 'United States', tld: 'com', legal: ['', '', 'Inc.', 'LLC', 'Corp.'], phone: (d) => `+1 (${d.slice(0, 3).replace(/^[01]/, '5')}) 555-${d.slice(3, 7)}`, weight: 44 },
  { name: 'United Kingdom', tld: 'co.uk', legal: ['', 'Ltd', 'plc'], phone: (d) => `+44 20 7946 ${d.slice(0, 4)}`, weight: 12 },
  { name: 'Germany', tld: 'de', legal: ['GmbH', 'AG', ''], phone: (d) => `+49 30 ${d.slice(0, 8)}`, weight: 10 },
  { name: 'Canada', tld: 'ca', legal: ['', 'Inc.', 'Ltd.'], phone: (d) => `+1 (416) 555-${d.slice(0, 4)}`, weight: 6 },
  { name: 'France', tld: 'fr', legal: ['SAS', 'SA', ''], phone: (d) => `+33 1 ${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4, 6)} ${d.slice(6, 8)}`, weight: 6 },
  { name: 'Netherlands', tld: 'nl', legal: ['B.V.', ''], phone: (d) => `+31 20 ${d.slice(0, 3)} ${d.slice(3, 7)}`, weight: 5 },
  { name: 'Australia', tld: 'com.au', legal: ['Pty Ltd', ''], phone: (d) => `+61 2 5550 ${d.slice(0, 4)}`, weight: 5 },
  { name: 'Sweden', tld: 'se', legal: ['AB', ''], phone: (d) => `+46 8 ${d.slice(0, 3)} ${d.slice(3, 5)} ${d.slice(5, 7)}`, weight: 3 },
  { name: 'Spain', tld: 'es', legal: ['S.L.', 'S.A.', ''], phone: (d) => `+34 91 ${d.slice(0, 3)} ${d.slice(3, 5)} ${d.slice(5, 7)}`, weight: 3 },
  { name: 'Ireland', tld: 'ie', legal: ['Ltd', 'DAC', ''], phone: (d) => `+353 1 ${d.slice(0, 3)} ${d.slice(3, 7)}`, weight: 2 },
  { name: 'Switzerland', tld: 'ch', legal: ['AG', 'SA', 'GmbH'], phone: (d) => `+41 44 ${d.slice(0, 3)} ${d.slice(3, 5)} ${d.slice(5, 7)}`, weight: 2 },
  { name: 'Singapore', tld: 'com.sg', legal: ['Pte. Ltd.', ''], phone: (d) => `+65 6${d.slice(0, 3)} ${d.slice(3, 7)}`, weight: 2 },
];

/** Employee count buckets: [min, max, weight]. */
export const COMPANY_SIZES: readonly (readonly [number, number, number])[] = [
  [11, 50, 20],
  [51, 200, 30],
  [201, 1000, 28],
  [1001, 5000, 15],
  [5001, 50000, 7],
];

export const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara',
  'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Christopher', 'Karen', 'Daniel', 'Lisa', 'Matthew', 'Nancy',
  'Anthony', 'Sandra', 'Mark', 'Ashley', 'Steven', 'Emily', 'Andrew', 'Michelle', 'Joshua', 'Amanda', 'Kevin', 'Melissa',
  'Brian', 'Stephanie', 'George', 'Rebecca', 'Timothy', 'Laura', 'Ryan', 'Rachel', 'Jacob', 'Olivia', 'Nicholas', 'Emma',
  'Oliver', 'Sophie', 'Harry', 'Charlotte', 'Jack', 'Amelia', 'Lukas', 'Hannah', 'Felix', 'Lena', 'Maximilian', 'Anna',
  'Jonas', 'Laura', 'Lucas', 'Camille', 'Hugo', 'Chloé', 'Louis', 'Manon', 'Daan', 'Sanne', 'Lars', 'Ingrid', 'Erik',
  'Astrid', 'Mateo', 'Lucía', 'Pablo', 'Carmen', 'Liam', 'Aoife', 'Conor', 'Siobhan', 'Priya', 'Arjun', 'Ananya', 'Rahul',
  'Wei', 'Mei', 'Hiroshi', 'Yuki', 'Min-jun', 'Ji-woo', 'Omar', 'Layla', 'Youssef', 'Fatima', 'Kwame', 'Amara', 'Diego',
  'Valentina', 'Noah', 'Mia', 'Ethan', 'Ava', 'Aiden', 'Zoe', 'Samuel', 'Grace', 'Isaac', 'Nora', 'Leo', 'Ella',
] as const;

export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez',
  'Lopez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris',
  'Clark', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Green', 'Baker', 'Adams', 'Nelson',
  'Hill', 'Campbell', 'Mitchell', 'Roberts', 'Carter', 'Phillips', 'Evans', 'Turner', 'Parker', 'Collins', 'Edwards',
  'Stewart', 'Morris', 'Murphy', 'Cook', 'Rogers', 'Morgan', 'Cooper', 'Peterson', 'Reed', 'Bailey', 'Bell', 'Kelly',
  'Howard', 'Ward', 'Cox', 'Richardson', 'Wood', 'Watson', 'Brooks', 'Bennett', 'Gray', 'Hughes', 'Price', 'Sanders',
  'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Wagner', 'Becker', 'Hoffmann', 'Dubois', 'Lefebvre', 'Moreau',
  'Laurent', 'de Vries', 'Jansen', 'Bakker', 'Visser', 'Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Fernández',
  'González', 'Sánchez', 'Romero', "O'Brien", 'Byrne', 'Ryan', 'Walsh', 'Patel', 'Sharma', 'Gupta', 'Singh', 'Chen',
  'Wang', 'Zhang', 'Liu', 'Tanaka', 'Suzuki', 'Sato', 'Kim', 'Park', 'Nguyen', 'Tran', 'Haddad', 'Mensah', 'Okafor',
] as const;

export const SENIORITIES = ['C-level', 'VP', 'Director', 'Manager', 'Individual contributor'] as const;
export type Seniority = (typeof SENIORITIES)[number];
export const SENIORITY_WEIGHTS: readonly (readonly [Seniority, number])[] = [
  ['C-level', 4],
  ['VP', 8],
  ['Director', 16],
  ['Manager', 30],
  ['Individual contributor', 42],
];

export const JOB_FUNCTIONS = ['Marketing', 'Sales', 'IT', 'Engineering', 'Finance', 'Operations', 'HR', 'Executive'] as const;
export type JobFunction = (typeof JOB_FUNCTIONS)[number];
export const FUNCTION_WEIGHTS: readonly (readonly [JobFunction, number])[] = [
  ['Marketing', 28],
  ['Sales', 14],
  ['IT', 18],
  ['Engineering', 12],
  ['Finance', 9],
  ['Operations', 11],
  ['HR', 5],
  ['Executive', 3],
];

/** Titles per function and seniority; one is picked at random. */
export const TITLES: Record<JobFunction, Record<Seniority, readonly string[]>> = {
  Marketing: {
    'C-level': ['Chief Marketing Officer', 'CMO'],
    VP: ['VP Marketing', 'VP Demand Generation', 'VP Product Marketing'],
    Director: ['Director of Marketing', 'Director of Demand Generation', 'Director of Marketing Operations', 'Director of Content'],
    Manager: ['Marketing Manager', 'Marketing Operations Manager', 'Content Marketing Manager', 'Field Marketing Manager', 'Product Marketing Manager'],
    'Individual contributor': ['Marketing Specialist', 'Demand Generation Specialist', 'Content Strategist', 'Marketing Analyst', 'Campaign Coordinator'],
  },
  Sales: {
    'C-level': ['Chief Revenue Officer', 'CRO'],
    VP: ['VP Sales', 'VP Business Development', 'VP Revenue Operations'],
    Director: ['Director of Sales', 'Regional Sales Director', 'Director of Revenue Operations'],
    Manager: ['Sales Manager', 'Account Manager', 'Sales Operations Manager'],
    'Individual contributor': ['Account Executive', 'Sales Development Representative', 'Business Development Representative', 'Solutions Consultant'],
  },
  IT: {
    'C-level': ['Chief Information Officer', 'CIO'],
    VP: ['VP of IT', 'VP Infrastructure'],
    Director: ['Director of IT', 'IT Director', 'Director of Information Security'],
    Manager: ['IT Manager', 'Infrastructure Manager', 'Security Manager'],
    'Individual contributor': ['Systems Administrator', 'Network Engineer', 'IT Analyst', 'Security Analyst'],
  },
  Engineering: {
    'C-level': ['Chief Technology Officer', 'CTO'],
    VP: ['VP Engineering', 'VP Product'],
    Director: ['Director of Engineering', 'Head of Platform', 'Director of Product'],
    Manager: ['Engineering Manager', 'Product Manager', 'QA Manager'],
    'Individual contributor': ['Software Engineer', 'Senior Software Engineer', 'Data Engineer', 'DevOps Engineer', 'Solutions Architect'],
  },
  Finance: {
    'C-level': ['Chief Financial Officer', 'CFO'],
    VP: ['VP Finance', 'VP Procurement'],
    Director: ['Finance Director', 'Director of Procurement', 'Controller'],
    Manager: ['Finance Manager', 'Procurement Manager', 'Accounting Manager'],
    'Individual contributor': ['Financial Analyst', 'Buyer', 'Accountant'],
  },
  Operations: {
    'C-level': ['Chief Operating Officer', 'COO'],
    VP: ['VP Operations', 'VP Customer Success'],
    Director: ['Director of Operations', 'Director of Customer Success', 'Supply Chain Director'],
    Manager: ['Operations Manager', 'Customer Success Manager', 'Project Manager'],
    'Individual contributor': ['Operations Analyst', 'Business Analyst', 'Project Coordinator'],
  },
  HR: {
    'C-level': ['Chief People Officer', 'CHRO'],
    VP: ['VP People', 'VP Human Resources'],
    Director: ['HR Director', 'Director of Talent Acquisition'],
    Manager: ['HR Manager', 'Talent Acquisition Manager'],
    'Individual contributor': ['HR Generalist', 'Recruiter', 'People Operations Specialist'],
  },
  Executive: {
    'C-level': ['Chief Executive Officer', 'CEO', 'Founder & CEO', 'President'],
    VP: ['SVP Strategy', 'VP Corporate Development'],
    Director: ['Managing Director', 'General Manager'],
    Manager: ['Chief of Staff', 'Strategy Manager'],
    'Individual contributor': ['Executive Assistant', 'Strategy Analyst'],
  },
};

export const FREE_MAIL_DOMAINS = ['gmail.com', 'outlook.com', 'yahoo.com', 'hotmail.com', 'icloud.com', 'proton.me', 'gmx.de'] as const;

export const LEAD_SOURCES = ['Organic search', 'Paid search', 'Webinar', 'Trade show', 'Content download', 'Referral', 'Partner', 'Outbound', 'Social'] as const;
export const LEAD_SOURCE_WEIGHTS: readonly (readonly [(typeof LEAD_SOURCES)[number], number])[] = [
  ['Organic search', 24],
  ['Paid search', 14],
  ['Webinar', 12],
  ['Trade show', 7],
  ['Content download', 18],
  ['Referral', 7],
  ['Partner', 5],
  ['Outbound', 9],
  ['Social', 4],
];

export const ACCOUNT_TIERS = ['Tier 1', 'Tier 2', 'Tier 3'] as const;

/** The revloop user's own (made-up) company: the sales and marketing people who own accounts and contacts. */
export const DEMO_COMPANY_DOMAIN = 'lumenworks.example';
export const DEMO_TEAM: readonly { name: string; role: 'marketing' | 'sales'; title: string }[] = [
  { name: 'Maya Chen', role: 'marketing', title: 'Marketing Operations Lead' },
  { name: 'Tomás Rivera', role: 'marketing', title: 'Demand Generation Manager' },
  { name: 'Priya Raman', role: 'marketing', title: 'Content Marketing Manager' },
  { name: 'Jordan Blake', role: 'sales', title: 'Account Executive' },
  { name: 'Sofia Lindqvist', role: 'sales', title: 'Account Executive' },
  { name: 'Marcus Okafor', role: 'sales', title: 'Sales Manager' },
  { name: 'Elena Petrova', role: 'sales', title: 'Account Executive' },
];
