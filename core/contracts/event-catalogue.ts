import type { z } from 'zod';
import { auditRecordedV1 } from './audit-events.js';
import {
  gameCompletedV1,
  hintRequestedV1,
  lessonCompletedV1,
  quizAnsweredV1,
  sessionEndedV1,
  sessionStartedV1,
  videoWatchedV1,
} from './behaviour-events.js';
import { evaluationCorrectedV1, evaluationRecordedV1, evaluationVoidedV1 } from './grade-events.js';

/** Lake families: each lands under `lake/raw/<family>/`. */
export const eventFamilies = ['grade', 'behaviour', 'audit'] as const;
export type EventFamily = (typeof eventFamilies)[number];

interface CatalogueEntry {
  readonly family: EventFamily;
  /** Payload schema per supported `schema_version`. */
  readonly versions: Readonly<Record<number, z.ZodType>>;
  /** Whether the envelope must name the student the event is about. */
  readonly requiresStudent: boolean;
}

/**
 * Every event type the platform accepts, with its supported versions. A type or
 * version missing here is rejected at the door with a stable error code.
 */
export const eventCatalogue = {
  'evaluation.recorded': {
    family: 'grade',
    versions: { 1: evaluationRecordedV1 },
    requiresStudent: true,
  },
  'evaluation.corrected': {
    family: 'grade',
    versions: { 1: evaluationCorrectedV1 },
    requiresStudent: true,
  },
  'evaluation.voided': {
    family: 'grade',
    versions: { 1: evaluationVoidedV1 },
    requiresStudent: true,
  },
  'session.started': {
    family: 'behaviour',
    versions: { 1: sessionStartedV1 },
    requiresStudent: true,
  },
  'session.ended': { family: 'behaviour', versions: { 1: sessionEndedV1 }, requiresStudent: true },
  'video.watched': { family: 'behaviour', versions: { 1: videoWatchedV1 }, requiresStudent: true },
  'quiz.answered': { family: 'behaviour', versions: { 1: quizAnsweredV1 }, requiresStudent: true },
  'game.completed': {
    family: 'behaviour',
    versions: { 1: gameCompletedV1 },
    requiresStudent: true,
  },
  'lesson.completed': {
    family: 'behaviour',
    versions: { 1: lessonCompletedV1 },
    requiresStudent: true,
  },
  'hint.requested': {
    family: 'behaviour',
    versions: { 1: hintRequestedV1 },
    requiresStudent: true,
  },
  'audit.recorded': { family: 'audit', versions: { 1: auditRecordedV1 }, requiresStudent: false },
} as const satisfies Record<string, CatalogueEntry>;

export type EventType = keyof typeof eventCatalogue;
export const eventTypes = Object.keys(eventCatalogue) as EventType[];

export function familyOf(type: EventType): EventFamily {
  return eventCatalogue[type].family;
}

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(eventCatalogue, value);
}
