// tsdbt init [project_name], as dbt's InitTask: writes dbt's starter project into a new folder and
// a `dev` target for it in profiles.yml (the profiles folder: --profiles-dir, TSDBT_PROFILES_DIR,
// DBT_PROFILES_DIR, else ~/.dbt). The adapter and its settings come from flags, or are asked on a
// terminal (the adapter's profile template: dbt's profile_template.yml); off a terminal, a missing
// answer without a default is an error naming every flag to pass. Everything is asked and checked
// before anything is written, so a refused init leaves no files behind. Run inside a project
// without a name, it only sets up that project's profile, as dbt's does.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Document, parseDocument } from 'yaml';
import { profileTemplates, type ProfilePrompt, type ProfileTemplate } from '../adapters/index.js';
import { EXIT_OK } from '../errors/exit-codes.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { createPrompter, type Prompter, type PromptStreams } from './prompts.js';
import { starterProjectFiles } from './starter-project.js';

export interface InitOptions {
  /** The project (and profile) name; asked when absent. */
  projectName?: string;
  /** The folder the project folder is created in. */
  cwd: string;
  /** `--project-dir`: the existing project whose profile is set up (default: `cwd`), as dbt's get_nearest_project_dir. */
  projectDir?: string;
  profilesDir?: string;
  env: NodeJS.ProcessEnv;
  /** `--skip-profile-setup` / `-s`: only the project files. */
  skipProfileSetup?: boolean;
  /** `--profile`: use this existing profile instead of writing one. */
  profile?: string;
  /** `--adapter`: a template name (postgres, pglite, clickhouse, chdb). */
  adapter?: string;
  /** Answers given as flags, by the template's keys (host, port, user, password, dbname, schema, threads, path, secure). */
  answers: Record<string, string | undefined>;
  /** Where questions are asked. */
  streams: PromptStreams;
  /** Questions may be asked (stdin is a terminal, or a test drives the streams). */
  interactive: boolean;
  /** Lines for the user. */
  say: (line: string) => void;
}

/** dbt's ProjectName: a letter or underscore, then letters, digits, underscores. */
const PROJECT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function profilesFolder(options: Pick<InitOptions, 'profilesDir' | 'env' | 'cwd'>): string {
  const given = options.profilesDir ?? (options.env.TSDBT_PROFILES_DIR || undefined) ?? (options.env.DBT_PROFILES_DIR || undefined);
  return path.resolve(options.cwd, given ?? path.join(options.env.HOME ?? os.homedir(), '.dbt'));
}

function readProfiles(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  const doc = parseDocument(readFileSync(file, 'utf8'));
  if (doc.errors.length > 0) {
    throw new TsdbtError(`${file} is not valid YAML: ${doc.errors[0]?.message ?? ''}`, { code: 'profile-invalid', location: { file }, hint: 'fix the file, or pass --profiles-dir to write elsewhere' });
  }
  const value = doc.toJS() as unknown;
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function typed(prompt: ProfilePrompt, answer: string): string | number | boolean | null {
  if (prompt.type === 'int') return /^-?\d+$/.test(answer.trim()) ? Number(answer) : null;
  if (prompt.type === 'bool') return /^(true|yes|y|1)$/i.test(answer) ? true : /^(false|no|n|0)$/i.test(answer) ? false : null;
  return answer;
}

const flagOf = (key: string) => `--${key.replace(/_/g, '-')}`;

interface ProfilePlan {
  template: ProfileTemplate;
  target: Record<string, unknown>;
}

async function chooseTemplate(options: InitOptions, prompter: Prompter | null, missing: string[]): Promise<ProfileTemplate | null> {
  const templates = profileTemplates();
  if (options.adapter !== undefined) {
    const found = templates.find((t) => t.name === options.adapter);
    if (!found) throw new TsdbtError(`unknown adapter '${options.adapter}'`, { code: 'usage', hint: `use one of: ${templates.map((t) => t.name).join(', ')}` });
    return found;
  }
  if (!prompter) {
    missing.push(`--adapter (${templates.map((t) => t.name).join(', ')})`);
    return null;
  }
  const list = templates.map((t, i) => `[${i + 1}] ${t.name}: ${t.description}`).join('\n');
  const answer = await prompter.ask(`Which database would you like to use?\n${list}\n\nEnter a number`, {
    check: (a) => (templates[Number(a) - 1] || templates.some((t) => t.name === a) ? null : `enter a number from 1 to ${templates.length}`),
  });
  return templates[Number(answer) - 1] ?? templates.find((t) => t.name === answer) ?? null;
}

async function planProfile(options: InitOptions, prompter: Prompter | null, missing: string[]): Promise<ProfilePlan | null> {
  const template = await chooseTemplate(options, prompter, missing);
  if (!template) return null;
  const target: Record<string, unknown> = { ...template.fixed };
  for (const prompt of template.prompts) {
    const given = options.answers[prompt.key];
    if (given !== undefined) {
      const value = typed(prompt, given);
      if (value === null) throw new TsdbtError(`${flagOf(prompt.key)} must be ${prompt.type === 'int' ? 'a whole number' : 'true or false'}, got '${given}'`, { code: 'usage', hint: `e.g. ${flagOf(prompt.key)} ${String(prompt.default ?? (prompt.type === 'int' ? 1 : true))}` });
      target[prompt.key] = value;
    } else if (prompter) {
      const answer = await prompter.ask(`${prompt.key}${prompt.hint ? ` (${prompt.hint})` : ''}`, {
        ...(prompt.default !== undefined ? { default: String(prompt.default) } : {}),
        hidden: prompt.hideInput,
        check: (a) => (typed(prompt, a) === null ? (prompt.type === 'int' ? 'enter a whole number' : 'enter true or false') : null),
      });
      target[prompt.key] = typed(prompt, answer);
    } else if (prompt.default !== undefined) {
      target[prompt.key] = prompt.default;
    } else {
      missing.push(flagOf(prompt.key));
    }
  }
  return { template, target };
}

/** Adds (or replaces) one profile in profiles.yml, keeping the file's other profiles and comments. */
function writeProfile(file: string, name: string, target: Record<string, unknown>): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const doc = text.trim() === '' ? new Document({}) : parseDocument(text);
  doc.set(name, doc.createNode({ outputs: { dev: target }, target: 'dev' }));
  writeFileSync(file, doc.toString());
}

export async function initCommand(options: InitOptions): Promise<number> {
  const prompter = options.interactive ? createPrompter(options.streams) : null;
  try {
    return await init(options, prompter);
  } finally {
    prompter?.close();
  }
}

async function init(options: InitOptions, prompter: Prompter | null): Promise<number> {
  const missing: string[] = [];
  const profilesFile = path.join(profilesFolder(options), 'profiles.yml');
  const projectDir = path.resolve(options.cwd, options.projectDir ?? '.');
  const inProject = options.projectName === undefined && existsSync(path.join(projectDir, 'dbt_project.yml'));

  // The project: its name and folder (or, inside a project, that project's profile name).
  let projectName = options.projectName;
  let profileName: string;
  if (inProject) {
    // dbt's InitTask: --profile names an existing profile for a new project; inside one, the
    // project's `profile:` decides.
    if (options.profile !== undefined) {
      throw new TsdbtError('Can not init existing project with specified profile, edit dbt_project.yml instead', {
        code: 'usage',
        location: { file: path.join(projectDir, 'dbt_project.yml') },
        hint: "drop --profile to set up this project's profile, or run tsdbt init outside the project to start a new one with that profile",
      });
    }
    const header = parseDocument(readFileSync(path.join(projectDir, 'dbt_project.yml'), 'utf8')).toJS() as { profile?: unknown; name?: unknown } | null;
    profileName = String(header?.profile ?? header?.name ?? 'default');
    options.say(`Setting up your profile '${profileName}' (dbt_project.yml found in ${projectDir}).`);
  } else {
    if (projectName !== undefined && !PROJECT_NAME.test(projectName)) {
      if (!prompter) throw new TsdbtError(`'${projectName}' is not a valid project name`, { code: 'usage', hint: 'use letters, digits and underscores, starting with a letter or underscore' });
      options.say(`${projectName} is not a valid project name.`);
      projectName = undefined;
    }
    if (projectName === undefined) {
      if (prompter) projectName = await prompter.ask('Enter a name for your project (letters, digits, underscore)', { check: (a) => (PROJECT_NAME.test(a) ? null : `${a} is not a valid project name.`) });
      else missing.push('the project name (tsdbt init <project_name>)');
    }
    profileName = options.profile ?? projectName ?? '';
    if (projectName !== undefined && existsSync(path.join(options.cwd, projectName))) {
      throw new TsdbtError(`A project called ${projectName} already exists here (${path.join(options.cwd, projectName)})`, { code: 'init-project-exists', hint: 'choose another name, or run tsdbt init inside that project to set up its profile only' });
    }
  }

  // The profile: an existing one (--profile), none (--skip-profile-setup), or a new target.
  let plan: ProfilePlan | null = null;
  if (options.profile !== undefined) {
    if (!(options.profile in readProfiles(profilesFile))) {
      throw new TsdbtError(`profile '${options.profile}' not found in ${profilesFile}`, { code: 'profile-missing', hint: 'drop --profile to create one, or pass --profiles-dir where it is' });
    }
  } else if (!options.skipProfileSetup) {
    let write = true;
    if (profileName !== '' && profileName in readProfiles(profilesFile)) {
      if (!prompter) {
        throw new TsdbtError(`the profile ${profileName} already exists in ${profilesFile}`, { code: 'init-profile-exists', hint: 'on a terminal tsdbt init asks whether to overwrite it; or pass --skip-profile-setup to keep it, or --profiles-dir to write elsewhere' });
      }
      write = await prompter.confirm(`The profile ${profileName} already exists in ${profilesFile}. Continue and overwrite it?`);
    }
    if (write) plan = await planProfile(options, prompter, missing);
  }
  if (missing.length > 0) {
    throw new TsdbtError(`tsdbt init is not on a terminal, so it cannot ask for: ${missing.join(', ')}`, {
      code: 'init-missing-answers',
      hint: 'pass them as flags, e.g. tsdbt init my_project --adapter pglite (tsdbt init --help lists them), or run it in a terminal',
    });
  }

  // Everything is known: write.
  if (!inProject && projectName !== undefined) {
    const dir = path.join(options.cwd, projectName);
    for (const [file, text] of Object.entries(starterProjectFiles(projectName, profileName))) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    options.say(`Your new dbt project "${projectName}" was created in ${dir}`);
  }
  if (plan) {
    writeProfile(profilesFile, profileName, plan.target);
    options.say(`Profile ${profileName} written to ${profilesFile} using the ${plan.template.name} profile template and your supplied values. Run 'tsdbt debug' to validate the connection.`);
  }
  if (!inProject && projectName !== undefined) {
    options.say('');
    options.say(`Next: cd ${projectName} && tsdbt build`);
    options.say('For more information on how to configure the profiles.yml file, see https://docs.getdbt.com/docs/configure-your-profile');
  }
  return EXIT_OK;
}
