/* Maps of protect.bpf.c. The C# side (Protection/ExecGuardMaps.cs) mirrors these layouts: change both together. */
#pragma once

#define PROTECT_NAME_MAX 64       /* executable names are matched when shorter than 63 bytes */
#define PROTECT_NEEDLES 16
#define PROTECT_NEEDLE_MAX 32
#define PROTECT_ARGS_MAX 4096     /* argv bytes scanned for needles; power of two for the verifier's mask */
#define PROTECT_RULES 64          /* rule slots; power of two */

enum protect_action_kind {
    PROTECT_KILL = 1,
    PROTECT_HOLD = 2,
};

enum protect_outcome {
    PROTECT_PERFORMED = 1,
    PROTECT_RATE_LIMITED = 2,
    PROTECT_AGENT_STALE = 3,
};

struct protect_name {
    char name[PROTECT_NAME_MAX];
};

struct protect_verdict {
    __u32 action;
    __u32 rule;
};

struct protect_needle {
    __u32 len;
    __u32 rule;
    char bytes[PROTECT_NEEDLE_MAX];
};

struct protect_config {
    __u32 enabled;
    __u32 needle_count;
    __u64 heartbeat;      /* boot ns, written by the agent's watchdog */
    __u64 hold_grace;     /* no hold when the heartbeat is older than this */
    __u64 first_bytes[4]; /* bitmap of the needles' first bytes */
};

struct protect_rule {
    __u32 armed;
    __u32 max_per_window;
    __u64 window_ns;
    __u64 window_start;
    __u64 count;
};

struct protect_action {
    __u64 timestamp;      /* boot ns at exec */
    __u32 rule;
    __u32 action;
    __u32 outcome;
    __u32 reserved;
};
