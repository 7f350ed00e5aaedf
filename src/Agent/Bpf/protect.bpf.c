// SPDX-License-Identifier: GPL-2.0
/* Active Protection at exec (its own object, vigil-protect.bpf.o, so the event probes' payload can change
 * without touching it). A second program on sched_process_exec runs before the new image's first user
 * instruction and, for processes the agent's protection rules select through these maps:
 *   - ACT_KILL: bpf_send_signal(SIGKILL) (rules that test only the executable's name or inode);
 *   - ACT_HOLD: bpf_send_signal(SIGSTOP); user space evaluates the whole SECL rule on the exec event,
 *     then SIGKILLs or SIGCONTs it (rules on argv/env). Candidates are selected by name or by argv
 *     substrings ("needles") that every match must contain.
 * Every act is written to protect_actions (pid -> record) for the agent to report. Safety: never pid 1,
 * kernel threads, the agent or its exempt ancestors, allow-listed inodes; a per-rule armed flag (the
 * disarmer clears it) and a per-rule window limit; no hold when the agent's heartbeat is stale. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "protect.h"

char LICENSE[] SEC("license") = "GPL";

/* Set before load (.rodata): the agent's tgid. */
const volatile __u32 agent_tgid = 0;

#define PF_KTHREAD 0x00200000
#define SIG_KILL 9
#define SIG_STOP 19

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, struct protect_name);
    __type(value, struct protect_verdict);
} protect_names SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, __u64);
    __type(value, struct protect_verdict);
} protect_inodes SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, __u64);
    __type(value, __u32);
} protect_allowed_inodes SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 64);
    __type(key, __u32);
    __type(value, __u32);
} protect_exempt_pids SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, PROTECT_NEEDLES);
    __type(key, __u32);
    __type(value, struct protect_needle);
} protect_needles SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct protect_config);
} protect_config SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, PROTECT_RULES);
    __type(key, __u32);
    __type(value, struct protect_rule);
} protect_rules SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 8192);
    __type(key, __u32);
    __type(value, struct protect_action);
} protect_actions SEC(".maps");

struct protect_scratch {
    char args[PROTECT_ARGS_MAX];
};

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct protect_scratch);
} protect_scratch SEC(".maps");

struct scan_state {
    __u32 len;
    __u32 found;
    __u32 rule;
};

/* One position of the argv buffer: does a needle start here? A first-byte bitmap skips most bytes. */
static long scan_position(__u32 i, void *ctx)
{
    struct scan_state *s = ctx;
    __u32 zero = 0;
    if (i >= s->len)
        return 1;
    struct protect_scratch *scratch = bpf_map_lookup_elem(&protect_scratch, &zero);
    struct protect_config *cfg = bpf_map_lookup_elem(&protect_config, &zero);
    if (!scratch || !cfg)
        return 1;
    unsigned char c = scratch->args[i & (PROTECT_ARGS_MAX - 1)];
    if (!(cfg->first_bytes[(c >> 6) & 3] & (1ULL << (c & 63))))
        return 0;
    __u32 count = cfg->needle_count;
#pragma clang loop unroll(disable)
    for (__u32 n = 0; n < PROTECT_NEEDLES; n++) {
        if (n >= count)
            break;
        __u32 key = n;
        struct protect_needle *needle = bpf_map_lookup_elem(&protect_needles, &key);
        if (!needle)
            break;
        __u32 len = needle->len;
        if (len == 0 || len > PROTECT_NEEDLE_MAX || i + len > s->len)
            continue;
        __u32 k = 0;
#pragma clang loop unroll(disable)
        for (; k < PROTECT_NEEDLE_MAX; k++) {
            if (k >= len)
                break;
            if (scratch->args[(i + k) & (PROTECT_ARGS_MAX - 1)] != needle->bytes[k])
                break;
        }
        if (k == len) {
            s->found = 1;
            s->rule = needle->rule;
            return 1;
        }
    }
    return 0;
}

/* Copies the new image's argv (NUL-separated) and looks for a needle; returns its rule slot + 1, or 0. */
static __u32 scan_args(struct task_struct *task, struct protect_config *cfg)
{
    __u32 zero = 0;
    if (cfg->needle_count == 0)
        return 0;
    struct protect_scratch *scratch = bpf_map_lookup_elem(&protect_scratch, &zero);
    if (!scratch)
        return 0;
    struct mm_struct *mm = BPF_CORE_READ(task, mm);
    unsigned long start = BPF_CORE_READ(mm, arg_start), end = BPF_CORE_READ(mm, arg_end);
    unsigned long len = end - start;
    if (len > PROTECT_ARGS_MAX)
        len = PROTECT_ARGS_MAX;
    len &= (PROTECT_ARGS_MAX - 1) | PROTECT_ARGS_MAX;
    if (len == 0 || len > PROTECT_ARGS_MAX || bpf_probe_read_user(scratch->args, len, (void *)start) != 0)
        return 0;
    struct scan_state state = { .len = (__u32)len, .found = 0, .rule = 0 };
    bpf_loop((__u32)len, scan_position, &state, 0);
    return state.found ? state.rule + 1 : 0;
}

static __always_inline void act(__u32 tgid, __u32 action, __u32 rule, struct protect_config *cfg)
{
    __u32 slot = rule & (PROTECT_RULES - 1);
    struct protect_rule *r = bpf_map_lookup_elem(&protect_rules, &slot);
    if (!r || !r->armed)
        return;
    struct protect_action record = { .timestamp = bpf_ktime_get_boot_ns(), .rule = rule, .action = action, .outcome = PROTECT_PERFORMED };
    /* Window limit; concurrent execs may race on the reset, which only makes it approximate. */
    if (record.timestamp - r->window_start > r->window_ns) {
        r->window_start = record.timestamp;
        r->count = 0;
    }
    if (__sync_fetch_and_add(&r->count, 1) >= r->max_per_window) {
        record.outcome = PROTECT_RATE_LIMITED;
    } else if (action == PROTECT_HOLD && record.timestamp - cfg->heartbeat > cfg->hold_grace) {
        record.outcome = PROTECT_AGENT_STALE; /* nobody would release it: do not stop it */
    } else {
        bpf_send_signal(action == PROTECT_HOLD ? SIG_STOP : SIG_KILL);
    }
    bpf_map_update_elem(&protect_actions, &tgid, &record, BPF_ANY);
}

SEC("tp/sched/sched_process_exec")
int protect_exec(void *ctx)
{
    __u32 zero = 0;
    __u32 tgid = bpf_get_current_pid_tgid() >> 32;
    if (tgid <= 1 || tgid == agent_tgid || bpf_map_lookup_elem(&protect_exempt_pids, &tgid))
        return 0;
    struct protect_config *cfg = bpf_map_lookup_elem(&protect_config, &zero);
    if (!cfg || !cfg->enabled)
        return 0;
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    if (BPF_CORE_READ(task, flags) & PF_KTHREAD)
        return 0;
    struct file *exe = BPF_CORE_READ(task, mm, exe_file);
    __u64 inode = BPF_CORE_READ(exe, f_inode, i_ino);
    if (bpf_map_lookup_elem(&protect_allowed_inodes, &inode))
        return 0;
    struct protect_verdict *verdict = bpf_map_lookup_elem(&protect_inodes, &inode);
    if (!verdict) {
        struct protect_name key = {};
        const unsigned char *name = BPF_CORE_READ(exe, f_path.dentry, d_name.name);
        bpf_probe_read_kernel_str(key.name, sizeof(key.name), name);
        verdict = bpf_map_lookup_elem(&protect_names, &key);
    }
    if (verdict) {
        act(tgid, verdict->action, verdict->rule, cfg);
        return 0;
    }
    __u32 found = scan_args(task, cfg);
    if (found)
        act(tgid, PROTECT_HOLD, found - 1, cfg);
    return 0;
}
