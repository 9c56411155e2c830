import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { join } from 'node:path';
import { Public } from '../auth/auth.decorators';
import { problem, ProblemException } from '../common/problem-details';

/** A Map, not an object literal: `constructor`, `__proto__` or `toString` must not look like assets. */
const ASSETS = new Map<string, string>([
  ['dashboard.js', 'text/javascript'],
  ['dashboard.css', 'text/css'],
]);
/** Everything the page needs is served from here: no CDN, no inline script. */
const CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

/** The operators' dashboard: a static page that reads the API with the user's token. */
@ApiExcludeController()
@Public()
@Controller('dashboard')
export class DashboardController {
  private readonly dir = join(__dirname, 'public');

  @Get()
  page(@Res() res: Response) {
    res.setHeader('Content-Security-Policy', CSP);
    res.type('text/html').sendFile(join(this.dir, 'index.html'));
  }

  @Get(':asset')
  asset(@Param('asset') asset: string, @Res() res: Response) {
    const type = ASSETS.get(asset);
    if (!type) throw new ProblemException(problem(404, 'HTTP.NOT_FOUND', `No dashboard asset ${asset}`));
    res.setHeader('Content-Security-Policy', CSP);
    res.type(type).sendFile(join(this.dir, asset));
  }
}
