import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { problem, ProblemException, type FieldProblem } from './problem-details';

/** Flattens class-validator's tree into one entry per broken rule, with the field's full path. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([rule, message]) => ({
      field,
      rule: rule === 'whitelistValidation' ? 'unknownField' : rule,
      message: rule === 'whitelistValidation' ? `${field} is not a known field` : message.replace(e.property, field),
    }));
    return [...own, ...fieldProblems(e.children ?? [], field)];
  });
}

/** DTOs are validated strictly: unknown fields are refused, types are converted, every error named. */
export const strictValidationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const list = fieldProblems(errors);
      return new ProblemException(problem(400, 'REQUEST.INVALID', list.map((p) => p.message).join('; '), { errors: list }));
    },
  });
