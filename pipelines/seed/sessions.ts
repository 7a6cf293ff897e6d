import type { IncomingEnvelope } from '../../core/index.js';
import { seededEventId } from './event-ids.js';
import { hash32, type Rng } from './random.js';
import { topicsFor } from './subjects.js';

/** A behaviour event with its time in epoch ms (for sorting without parsing). */
export interface TimedEvent {
  readonly ms: number;
  readonly event: IncomingEnvelope;
}

/** Everything one app session needs to know. */
export interface SessionInput {
  readonly tenantId: string;
  readonly studentId: string;
  readonly subjectCode: string;
  readonly ability: number;
  readonly engagement: number;
  readonly device: 'web' | 'android' | 'ios' | 'kiosk';
  readonly startMs: number;
  readonly budgetSeconds: number;
}

/** Difficulty of a topic on the ability scale, from -0.8 (easy) to 1.2 (hard), stable per topic. */
export function topicDifficulty(topicId: string): number {
  return -0.8 + ((hash32(topicId) % 1000) / 1000) * 2;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Chance of a right answer: ability against difficulty, better on later attempts. */
export function correctChance(ability: number, topicId: string, attempt: number): number {
  return sigmoid(1.1 * (ability - topicDifficulty(topicId)) + 0.6 + 0.5 * (attempt - 1));
}

class SessionWriter {
  readonly events: TimedEvent[] = [];
  at: number;
  readonly sessionId: string;

  constructor(
    readonly input: SessionInput,
    readonly rng: Rng,
  ) {
    this.at = input.startMs;
    this.sessionId = `ses-${rng.uint32().toString(36)}${rng.uint32().toString(36)}`;
  }

  emit(eventType: string, payload: Record<string, unknown>): void {
    const { tenantId, studentId } = this.input;
    const event: IncomingEnvelope = {
      event_id: seededEventId(this.at, this.rng),
      tenant_id: tenantId,
      event_type: eventType,
      schema_version: 1,
      occurred_at: new Date(this.at).toISOString(),
      actor: { id: studentId, role: 'student' },
      student_id: studentId,
      payload,
    };
    this.events.push({ ms: this.at, event });
  }

  advance(seconds: number): void {
    this.at += Math.round(seconds * 1000);
  }
}

function watchVideo(session: SessionWriter, topic: string): void {
  const { rng, input } = session;
  const duration = rng.int(120, 480);
  const fullyWatched = rng.chance(0.45 + 0.4 * input.engagement);
  const watched = fullyWatched ? duration : Math.round(duration * rng.between(0.1, 0.9));
  session.advance(watched);
  session.emit('video.watched', {
    session_id: session.sessionId,
    video_id: `vid.${topic}.${rng.int(1, 20)}`,
    topic_id: topic,
    seconds_watched: watched,
    duration_seconds: duration,
  });
}

function answerQuestion(
  session: SessionWriter,
  topic: string,
  quizId: string,
  questionId: string,
): void {
  const { rng, input } = session;
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const timeMs = Math.min(120_000, 3000 + Math.round(rng.exponential(14_000)));
    session.advance(timeMs / 1000);
    const isCorrect = rng.chance(correctChance(input.ability, topic, attempt));
    session.emit('quiz.answered', {
      session_id: session.sessionId,
      quiz_id: quizId,
      question_id: questionId,
      topic_id: topic,
      is_correct: isCorrect,
      attempt,
      time_ms: timeMs,
    });
    if (isCorrect) return;
    if (rng.chance(0.35)) {
      session.advance(rng.int(2, 8));
      session.emit('hint.requested', {
        session_id: session.sessionId,
        question_id: questionId,
        topic_id: topic,
      });
    }
    if (!rng.chance(0.5)) return;
  }
}

function takeQuiz(session: SessionWriter, topic: string): void {
  const quizId = `qz.${topic}.${session.rng.int(1, 12)}`;
  const questions = session.rng.int(3, 5);
  for (let question = 1; question <= questions; question += 1) {
    answerQuestion(session, topic, quizId, `${quizId}.q${question}`);
  }
}

function playGame(session: SessionWriter, topic: string): void {
  const { rng, input } = session;
  const duration = rng.int(60, 300);
  const share = Math.max(
    0,
    Math.min(1, correctChance(input.ability, topic, 1) + 0.12 * rng.normal()),
  );
  session.advance(duration);
  session.emit('game.completed', {
    session_id: session.sessionId,
    game_id: `game.${topic}.${rng.int(1, 8)}`,
    topic_id: topic,
    score: Math.round(share * 100),
    max_score: 100,
    duration_seconds: duration,
  });
}

/**
 * The events of one app session: `session.started`, then videos, quizzes
 * (answers with attempts and hints), games and completed lessons on the
 * subject's topics until the time budget runs out, then `session.ended`.
 */
export function generateSession(input: SessionInput, rng: Rng): TimedEvent[] {
  const session = new SessionWriter(input, rng);
  session.emit('session.started', { session_id: session.sessionId, device: input.device });
  const topics = topicsFor(input.subjectCode);
  const endMs = input.startMs + input.budgetSeconds * 1000;
  let topic = rng.pick(topics);
  let lessonStart = session.at;
  while (session.at < endMs) {
    const roll = rng.next();
    if (roll < 0.35) watchVideo(session, topic);
    else if (roll < 0.72) takeQuiz(session, topic);
    else if (roll < 0.92) playGame(session, topic);
    else {
      session.advance(rng.int(20, 90));
      const seconds = Math.round((session.at - lessonStart) / 1000);
      session.emit('lesson.completed', {
        session_id: session.sessionId,
        lesson_id: `les.${topic}.${rng.int(1, 10)}`,
        topic_id: topic,
        duration_seconds: seconds,
      });
      topic = rng.pick(topics);
      lessonStart = session.at;
    }
  }
  session.advance(rng.int(2, 30));
  const duration = Math.round((session.at - input.startMs) / 1000);
  session.emit('session.ended', { session_id: session.sessionId, duration_seconds: duration });

  return session.events;
}
