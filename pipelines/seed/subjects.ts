import type { Subject } from '../../core/index.js';

/**
 * SEP subjects per grade level. Grade levels run 1-9 as in the registry
 * contract: 1-6 are 1° to 6° of primaria, 7-9 are 1° to 3° of secundaria.
 * `SOC` (Educación Socioemocional) is recorded like any subject; the grade
 * policies leave it out of the general average.
 */
const primaria = [1, 2, 3, 4, 5, 6];
const secundaria = [7, 8, 9];
const all = [...primaria, ...secundaria];

export const sepSubjects: readonly Subject[] = [
  { subject_code: 'ESP', name: 'Español', grade_levels: all },
  { subject_code: 'MAT', name: 'Matemáticas', grade_levels: all },
  { subject_code: 'ING', name: 'Inglés', grade_levels: all },
  { subject_code: 'CIEN', name: 'Ciencias Naturales', grade_levels: primaria },
  { subject_code: 'BIO', name: 'Ciencias I (Biología)', grade_levels: [7] },
  { subject_code: 'FIS', name: 'Ciencias II (Física)', grade_levels: [8] },
  { subject_code: 'QUI', name: 'Ciencias III (Química)', grade_levels: [9] },
  { subject_code: 'HIST', name: 'Historia', grade_levels: [4, 5, 6, 7, 8, 9] },
  { subject_code: 'GEO', name: 'Geografía', grade_levels: [4, 5, 6, 7] },
  { subject_code: 'FCE', name: 'Formación Cívica y Ética', grade_levels: all },
  { subject_code: 'ART', name: 'Artes', grade_levels: all },
  { subject_code: 'EF', name: 'Educación Física', grade_levels: all },
  { subject_code: 'TEC', name: 'Tecnología', grade_levels: secundaria },
  { subject_code: 'SOC', name: 'Educación Socioemocional', grade_levels: all },
];

/** Subjects taught at a grade level (1-9). */
export function subjectsFor(gradeLevel: number): Subject[] {
  return sepSubjects.filter((subject) => subject.grade_levels.includes(gradeLevel));
}

/** Subjects with app content (videos, quizzes); EF and ART happen off screen. */
export function appSubjectsFor(gradeLevel: number): Subject[] {
  return subjectsFor(gradeLevel).filter((s) => s.subject_code !== 'EF' && s.subject_code !== 'ART');
}

const topicNames: Readonly<Record<string, readonly string[]>> = {
  ESP: ['comprension-lectora', 'ortografia', 'redaccion', 'gramatica', 'textos-informativos'],
  MAT: ['fracciones', 'decimales', 'geometria', 'algebra', 'proporcionalidad', 'estadistica'],
  ING: ['vocabulary', 'reading', 'listening', 'grammar'],
  CIEN: ['seres-vivos', 'cuerpo-humano', 'materia', 'energia', 'ecosistemas'],
  BIO: ['celula', 'evolucion', 'nutricion', 'biodiversidad'],
  FIS: ['movimiento', 'fuerzas', 'energia', 'electricidad'],
  QUI: ['mezclas', 'tabla-periodica', 'reacciones', 'enlaces'],
  HIST: ['mexico-antiguo', 'independencia', 'reforma', 'revolucion'],
  GEO: ['mapas', 'relieve', 'poblacion', 'climas'],
  FCE: ['derechos', 'convivencia', 'democracia'],
  TEC: ['procesos-tecnicos', 'diseno', 'herramientas'],
  SOC: ['autoconocimiento', 'empatia', 'colaboracion'],
};

/** Topic ids of a subject (`mat.fracciones`), used by quizzes, videos and games. */
export function topicsFor(subjectCode: string): string[] {
  const names = topicNames[subjectCode] ?? ['general'];

  return names.map((name) => `${subjectCode.toLowerCase()}.${name}`);
}
