#!/usr/bin/env bash
# Property tests at high case counts (issue 12, item 10): every proptest of the
# domain's parsers and rules (cédula, birth date, phone, código dactilar,
# captcha payload, code, e-mail, call-back fields, answers, questions, staff
# names, masks, claves) with PROPTEST_CASES cases each, in a release build.
# Not part of CI (minutes); CI runs the same properties at proptest's default.
# Then the HTTP fuzz properties (arbitrary input to step 1, login, staff login
# and the call-back form: never a server error, nothing created; and to every
# step behind a flow cookie: never a server error, the flow stays or moves to
# its step's own next state) with
# HTTP_CASES cases each, in the test build (each case is a whole request,
# hence fewer).
# Usage: bench/properties.sh [cases=100000] [http cases=10000]
source "$(dirname "$0")/../scripts/env.sh"
cd "$ROOT"
CASES="${1:-100000}"
HTTP_CASES="${2:-10000}"
export PROPTEST_CASES="$CASES"
say "Building the tests (release)"
cargo test --release --locked -p domain --features server --lib --no-run >/dev/null 2>&1 \
  || cargo test --release --locked -p domain --features server --lib --no-run
printf '%-12s %8s %10s  %s\n' module tests seconds result
for module in cedula birthdate phone dactilar captcha code email callback answer questions staff mask password; do
  start=$(date +%s.%N)
  if log=$(cargo test --release --locked -q -p domain --features server --lib "$module::" 2>&1); then
    result=ok
  else
    result=FAILED
  fi
  took=$(echo "$(date +%s.%N) - $start" | bc)
  passed=$(echo "$log" | sed -n 's/.*test result: [a-zA-Z]*\. \([0-9]*\) passed.*/\1/p' | head -1)
  printf '%-12s %8s %10.1f  %s\n' "$module" "${passed:-?}" "$took" "$result"
  [ "$result" = ok ] || echo "$log" | tail -30
done
echo "(each property: $CASES cases; a module's tests include its example tests)"

say "HTTP fuzz properties, $HTTP_CASES cases each"
ensure_postgres
for target in http:arbitrary_step_one_input_gets_a_clear_answer \
  http:arbitrary_input_to_the_other_open_forms_gets_a_clear_answer \
  fuzz_steps:arbitrary_input_to_every_step_behind_a_flow_gets_a_clear_answer; do
  file="${target%%:*}" name="${target#*:}"
  start=$(date +%s.%N)
  if log=$(PROPTEST_CASES="$HTTP_CASES" cargo test --locked -q -p server --test "$file" "$name" 2>&1); then
    result=ok
  else
    result=FAILED
  fi
  took=$(echo "$(date +%s.%N) - $start" | bc)
  printf '%-62s %10.1f  %s\n' "$name" "$took" "$result"
  [ "$result" = ok ] || echo "$log" | tail -30
done
