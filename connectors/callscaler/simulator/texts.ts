/**
 * Pools of transcriptions, summaries and qualification reasons, built once per seed. Calls point at
 * pool entries instead of owning their text: a million calls share a few hundred strings, which keeps
 * the simulator small enough for a child process.
 */
import { AI_CATEGORIES } from './api-fields.js';
import type { Rng } from './prng.js';
import type { AiCategory } from './types.js';
import { AGENTS, FIRST_NAMES, KEYWORDS, PROBLEMS } from './vocab.js';

export interface Transcript {
  readonly text: string;
  /** Keywords that actually occur in the text: the call's keywords_spotted. */
  readonly keywords: readonly string[];
  /** The AI summary of this conversation. */
  readonly summary: string;
}

export interface TextPools {
  transcripts: Record<AiCategory, Transcript[]>;
  /** One dialogue per category joined with CRLF. */
  crlfTranscripts: Record<AiCategory, Transcript>;
  /** Over 50 KB each; lead conversations. */
  longTranscripts: Transcript[];
  /** Summaries with CRLF, quotes and commas. */
  awkwardSummaries: string[];
  qualifiedReasons: string[];
  unqualifiedReasons: Record<AiCategory, string[]>;
  /** Reasons with CRLF/LF, quotes and commas. */
  awkwardReasons: string[];
}

const PER_CATEGORY = 12;

const KEYWORD_LINES = [
  (kw: string) => `Caller: I also wanted to ask about ${kw}, if that's possible.`,
  (kw: string) => `Agent: Sure, ${kw} is something we handle every day.`,
  (kw: string) => `Caller: Honestly the main thing is ${kw}, "as soon as possible," you know?`,
];

function opening(rng: Rng, category: AiCategory, problem: string): string[] {
  const agent = rng.pick(AGENTS);
  const name = rng.pick(FIRST_NAMES);
  switch (category) {
    case 'lead':
      return [
        `Agent: Thanks for calling Lone Star Plumbing & HVAC, this is ${agent}. How can I help you today?`,
        `Caller: Hi, yes, my ${problem}. What would it take to get someone out here?`,
        "Agent: Absolutely, we can help. What's the address, and is this a good number to reach you?",
        `Caller: It's ${rng.int(100, 9999)} Burnet Road, Austin. My neighbor said, "call the guys with the star on the truck."`,
        `Agent: Great, we have a technician available between ${rng.int(1, 4)} and ${rng.int(5, 7)}. Does that work?`,
        'Caller: Sí, perfecto — thank you!',
      ];
    case 'existing_customer':
      return [
        `Agent: Lone Star Plumbing, this is ${agent}.`,
        `Caller: Hi, this is ${name}, you were out here last week, the ${problem} again.`,
        'Agent: I see your account, ma’am. Let me pull up the work order.',
        `Caller: The tech, I think his name was ${rng.pick(AGENTS)}, said to call if it happened again.`,
      ];
    case 'spam':
      return [
        'Caller: [automated] This is your final notice regarding your Google listing.',
        'Caller: [automated] Press one to speak to a listing specialist, press two to be removed.',
        'Agent: Hello? Hello?',
      ];
    case 'wrong_number':
      return [
        `Agent: Lone Star Plumbing, ${agent} speaking.`,
        "Caller: Oh, is this Dr. Patel's office? I have a cleaning at 3.",
        'Agent: No, sorry, this is a plumbing company.',
        'Caller: Sorry about that, wrong number.',
      ];
    case 'voicemail':
      return [
        `Voicemail: Hi, this is ${name}, my ${problem}.`,
        `Voicemail: Please call back at your earliest convenience, thanks, bye.`,
      ];
  }
}

function dialogue(rng: Rng, category: AiCategory): { lines: string[]; keywords: string[]; summary: string } {
  const problem = rng.pick(PROBLEMS);
  const lines = opening(rng, category, problem);
  const candidates = KEYWORDS[category];
  const count = rng.int(0, Math.min(3, candidates.length));
  const keywords: string[] = [];
  while (keywords.length < count) {
    const kw = rng.pick(candidates);
    if (!keywords.includes(kw)) keywords.push(kw);
  }
  for (const kw of keywords) {
    lines.splice(rng.int(1, lines.length), 0, rng.pick(KEYWORD_LINES)(kw));
  }
  return { lines, keywords, summary: summaryFor(rng, category, problem) };
}

function longTranscript(rng: Rng, minBytes: number): Transcript {
  const out: string[] = [];
  const keywords = ['estimate', 'financing', 'water heater'];
  let size = 0;
  for (let turn = 0; size < minBytes; turn++) {
    const secs = turn * 7;
    const stamp = `[${String(Math.floor(secs / 3600)).padStart(2, '0')}:${String(Math.floor(secs / 60) % 60).padStart(2, '0')}:${String(secs % 60).padStart(2, '0')}]`;
    const { lines } = dialogue(rng, 'lead');
    const line = `${stamp} ${lines[turn % lines.length]} (turn ${turn}, re: ${keywords[turn % keywords.length]})`;
    out.push(line);
    size += Buffer.byteLength(line) + 1;
  }
  const summary = 'Long call about replacing a water heater: estimate, financing, "will think about it".';
  return { text: out.join('\n'), keywords, summary };
}

function summaryFor(rng: Rng, category: AiCategory, problem: string): string {
  switch (category) {
    case 'lead':
      return rng.chance(0.5)
        ? `Caller reported: ${problem}. Requested an estimate, booked for ${rng.pick(['Monday', 'Tuesday', 'Friday'])} between 2-4pm.`
        : `New lead, "${problem}", wants pricing before committing.\nFollow-up: send the estimate by email.`;
    case 'existing_customer':
      return `Existing customer calling about invoice #${rng.int(1000, 9999)}; the ${problem}, technician to follow up.`;
    case 'spam':
      return 'Robocall, "final notice" about a Google listing; no human on the line.';
    case 'wrong_number':
      return 'Caller was looking for a dentist, wrong number. No action needed.';
    case 'voicemail':
      return `Voicemail: caller says the ${problem}, asks for a call back.`;
  }
}

export function buildTextPools(rng: Rng): TextPools {
  const transcripts = {} as Record<AiCategory, Transcript[]>;
  const crlfTranscripts = {} as Record<AiCategory, Transcript>;
  for (const category of AI_CATEGORIES) {
    transcripts[category] = [];
    for (let i = 0; i < PER_CATEGORY; i++) {
      const { lines, keywords, summary } = dialogue(rng, category);
      transcripts[category].push({ text: lines.join('\n'), keywords, summary });
    }
    const { lines, keywords, summary } = dialogue(rng, category);
    crlfTranscripts[category] = { text: lines.join('\r\n'), keywords, summary };
  }
  const longTranscripts = [60_000, 75_000, 90_000].map((n) => longTranscript(rng, n));
  return {
    transcripts,
    crlfTranscripts,
    longTranscripts,
    awkwardSummaries: [
      'Summary:\r\n- Caller: "water heater leaking, garage flooded"\r\n- Booked, same day, $89 diagnostic',
      'Caller said, "we\'ve called three companies already," and wants the cheapest, fastest option.',
      'Two issues:\n1) AC not cooling, "warm air only"\n2) asked about financing, 0% APR',
    ],
    qualifiedReasons: [
      'Caller requested service within the service area and agreed to book an appointment',
      'New customer, asked for a quote, budget confirmed',
      'Emergency request, caller said "ready to pay today"',
    ],
    unqualifiedReasons: {
      lead: [
        'Outside service area (Dallas, TX), price shopping only',
        'Asked for a job application, not a customer',
      ],
      existing_customer: ['Existing customer, not a new lead'],
      spam: ['Robocall / spam, no human on the line'],
      wrong_number: ['Wrong number, caller wanted another business'],
      voicemail: ['Voicemail, no conversation to qualify'],
    },
    awkwardReasons: [
      'Qualified:\r\n- requested a "same day" visit\r\n- in service area, Austin, TX',
      'Not qualified, caller said "just browsing",\nno budget',
      'Lead, but "call back later"; CRLF follows\r\nend',
    ],
  };
}
