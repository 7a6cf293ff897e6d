import { z } from 'zod';
import { opaqueId } from './ids.js';

const seconds = z.number().finite().min(0).max(86_400);

/** `session.started` v1: the student opened the app. */
export const sessionStartedV1 = z.strictObject({
  session_id: opaqueId,
  device: z.enum(['web', 'android', 'ios', 'kiosk']).default('web'),
});

/** `session.ended` v1. */
export const sessionEndedV1 = z.strictObject({
  session_id: opaqueId,
  duration_seconds: seconds,
});

/** `video.watched` v1: seconds of a video watched out of its duration. */
export const videoWatchedV1 = z
  .strictObject({
    session_id: opaqueId.optional(),
    video_id: opaqueId,
    topic_id: opaqueId.optional(),
    seconds_watched: seconds,
    duration_seconds: seconds.positive(),
  })
  .refine((v) => v.seconds_watched <= v.duration_seconds, {
    message: 'seconds_watched cannot exceed duration_seconds',
    path: ['seconds_watched'],
  });

/** `quiz.answered` v1: one answer to one quiz question. */
export const quizAnsweredV1 = z.strictObject({
  session_id: opaqueId.optional(),
  quiz_id: opaqueId,
  question_id: opaqueId,
  topic_id: opaqueId,
  is_correct: z.boolean(),
  attempt: z.number().int().min(1).max(100),
  time_ms: z.number().int().min(0).max(3_600_000),
});

/** `game.completed` v1. */
export const gameCompletedV1 = z.strictObject({
  session_id: opaqueId.optional(),
  game_id: opaqueId,
  topic_id: opaqueId.optional(),
  score: z.number().finite().min(0),
  max_score: z.number().finite().positive(),
  duration_seconds: seconds,
});

/** `lesson.completed` v1. */
export const lessonCompletedV1 = z.strictObject({
  session_id: opaqueId.optional(),
  lesson_id: opaqueId,
  topic_id: opaqueId.optional(),
  duration_seconds: seconds,
});

/** `hint.requested` v1. */
export const hintRequestedV1 = z.strictObject({
  session_id: opaqueId.optional(),
  question_id: opaqueId,
  topic_id: opaqueId.optional(),
});
