// The bulkhead extension: runs `bulkhead lsp` for Dockerfiles and Containerfiles, and keeps it running.
// Everything the user sees (diagnostics, hovers, quick fixes) comes from the server; this file finds the
// binary, starts and restarts the client, and says clearly what to do when the binary is missing.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions, State } from "vscode-languageclient/node";

const SECTION = "bulkhead";
const INSTALL_HINT = "Install it with `cargo install --git https://github.com/bulkhead-dev/bulkhead bulkhead`";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;

/** Where the binary came from, for messages. */
type Origin = "setting" | "bundled" | "PATH";

interface Binary {
  command: string;
  origin: Origin;
}

/** The server's settings: the `bulkhead` section without the editor-only keys. */
function serverSettings(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration(SECTION);
  return {
    select: config.get<string[] | null>("select", null),
    extendSelect: config.get<string[]>("extendSelect", []),
    ignore: config.get<string[]>("ignore", []),
    severity: config.get<Record<string, string>>("severity", {}),
    trustedRegistries: config.get<string[]>("trustedRegistries", []),
    secrets: {
      extraWords: config.get<string[]>("secrets.extraWords", []),
      allowWords: config.get<string[]>("secrets.allowWords", []),
    },
    registry: {
      enabled: config.get<boolean>("registry.enabled", false),
      credentialHelpers: config.get<boolean>("registry.credentialHelpers", false),
    },
    format: {
      indent: config.get<number | null>("format.indent", null),
    },
    inlayHints: {
      user: config.get<boolean>("inlayHints.user", true),
      argValues: config.get<boolean>("inlayHints.argValues", true),
      stageIndex: config.get<boolean>("inlayHints.stageIndex", true),
    },
  };
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  const exts = process.platform === "win32" ? (process.env.PATHEXT ?? ".EXE").split(";") : [""];
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (dir && isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/** The `bulkhead.path` setting, else the binary bundled in the extension, else `bulkhead` on PATH. */
function findBinary(context: vscode.ExtensionContext): Binary | string {
  const configured = vscode.workspace.getConfiguration(SECTION).get<string>("path", "").trim();
  if (configured) {
    const expanded = configured.startsWith("~") ? path.join(os.homedir(), configured.slice(1)) : configured;
    if (isExecutable(expanded)) {
      return { command: expanded, origin: "setting" };
    }
    return `the \`bulkhead.path\` setting points to ${expanded}, which is not an executable file. Fix the path, or clear it to use the bundled binary or \`bulkhead\` on PATH.`;
  }
  const bundled = context.asAbsolutePath(path.join("bin", process.platform === "win32" ? "bulkhead.exe" : "bulkhead"));
  if (isExecutable(bundled)) {
    return { command: bundled, origin: "bundled" };
  }
  const found = onPath("bulkhead");
  if (found) {
    return { command: found, origin: "PATH" };
  }
  return `the \`bulkhead\` binary was not found: this extension has none bundled, and there is none on PATH. ${INSTALL_HINT}, or set \`bulkhead.path\` to the binary.`;
}

async function tellUser(problem: string): Promise<void> {
  output.appendLine(`[error] ${problem}`);
  const choice = await vscode.window.showErrorMessage(`bulkhead: ${problem}`, "Open Settings", "Show Output");
  if (choice === "Open Settings") {
    await vscode.commands.executeCommand("workbench.action.openSettings", "bulkhead.path");
  } else if (choice === "Show Output") {
    output.show(true);
  }
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const binary = findBinary(context);
  if (typeof binary === "string") {
    void tellUser(binary);
    return;
  }
  output.appendLine(`Starting ${binary.command} lsp (from ${binary.origin})`);
  const serverOptions: ServerOptions = {
    run: { command: binary.command, args: ["lsp"] },
    debug: { command: binary.command, args: ["lsp"] },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "dockerfile" },
      { scheme: "untitled", language: "dockerfile" },
      { scheme: "file", pattern: "**/{Dockerfile,Containerfile,*.dockerfile,Dockerfile.*,Containerfile.*}" },
      // Compose files: by the Docker extension's language id, and by name when they are plain YAML
      // (compose.yaml, docker-compose.yml, compose.override.yaml, docker-compose.prod.yml...).
      { scheme: "file", language: "dockercompose" },
      { scheme: "untitled", language: "dockercompose" },
      { scheme: "file", pattern: "**/{compose,docker-compose}{.yaml,.yml,.*.yaml,.*.yml}" },
    ],
    initializationOptions: serverSettings(),
    // Sends the `bulkhead` section on every change; the server ignores the editor-only keys.
    synchronize: { configurationSection: SECTION },
    outputChannel: output,
  };
  const next = new LanguageClient(SECTION, "bulkhead", serverOptions, clientOptions);
  client = next;
  try {
    await next.start();
    const info = next.initializeResult?.serverInfo;
    output.appendLine(`Started ${info?.name ?? "bulkhead"} ${info?.version ?? ""}`.trimEnd());
  } catch (err) {
    client = undefined;
    const detail = err instanceof Error ? err.message : String(err);
    void tellUser(
      `the server (${binary.command}, from ${binary.origin}) failed to start: ${detail}. Check that \`${binary.command} lsp\` runs in a terminal; the output channel has the details.`,
    );
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running && running.state !== State.Stopped) {
    try {
      await running.stop(2000);
    } catch (err) {
      output.appendLine(`[warn] stopping the server: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  await stop();
  await start(context);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("bulkhead");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("bulkhead.restartServer", () => restart(context)),
    vscode.commands.registerCommand("bulkhead.showOutput", () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("bulkhead.path")) {
        void restart(context);
      }
    }),
  );
  await start(context);
}

export function deactivate(): Thenable<void> | undefined {
  return stop();
}
