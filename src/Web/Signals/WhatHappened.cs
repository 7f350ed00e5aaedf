using System.Text.Json;

namespace Vigil.Web.Signals;

/// <summary>
/// One sentence saying what the sample event shows, in the words a responder would use:
/// "root ran /usr/bin/bash -c id on web-1, started by /usr/sbin/nginx."
/// </summary>
public static class WhatHappened
{
    public static string Describe(string hostname, JsonElement agentEvent)
    {
        var lineage = ProcessLineage.From(agentEvent);
        var process = lineage.Count > 0 ? lineage[^1] : null;
        var parent = lineage.Count > 1 ? lineage[^2] : null;
        var who = process?.User is { Length: > 0 } user ? user : "a process";
        var what = process?.CommandLine ?? process?.Path ?? process?.Name;
        var eventName = ProcessLineage.Text(agentEvent, "evt", "name");
        var file = ProcessLineage.Text(agentEvent, "file", "path");
        var domain = ProcessLineage.Text(agentEvent, "dns", "question", "name");

        var action = eventName switch
        {
            "exec" when what is not null => $"{who} ran {what}",
            "open" or "chmod" or "chown" or "unlink" or "rename" or "utimes" or "link" or "mkdir" or "rmdir" when file is not null
                => $"{Owner(who, what)} {Verb(eventName)} {file}",
            "dns" when domain is not null => $"{Owner(who, what)} looked up {domain}",
            null when what is not null => $"{who} ran {what}",
            _ => $"{Owner(who, what)} triggered a{(StartsWithVowel(eventName) ? "n" : "")} {eventName ?? "unknown"} event",
        };
        var origin = parent is null ? "" : $", started by {parent.Path ?? parent.Name}";
        return $"{action} on {hostname}{origin}."; // not capitalised: it often starts with a user name
    }

    private static string Owner(string who, string? what) => what is null ? who : $"{what} (as {who})";

    private static string Verb(string eventName) => eventName switch
    {
        "open" => "opened",
        "chmod" => "changed the mode of",
        "chown" => "changed the owner of",
        "unlink" => "deleted",
        "rename" => "renamed",
        "utimes" => "changed the times of",
        "link" => "linked",
        "mkdir" => "created the directory",
        _ => "removed the directory",
    };

    private static bool StartsWithVowel(string? word) => word is { Length: > 0 } && "aeiou".Contains(char.ToLowerInvariant(word[0]));
}
