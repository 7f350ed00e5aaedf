using System.Text;
using System.Text.Json;
using Vigil.Core.Contracts;

namespace Vigil.Core.Tests.Contracts;

public sealed class RawJsonTests
{
    private const string EventJson = """{"agent":{"rule_id":"r1"},"title":"quote \" and é","process":{"args":["-c","echo \"hi\""]}}""";

    [Fact]
    public void Serialize_WritesTheEventAsAJsonValueNotAnEscapedString()
    {
        var message = Message(EventJson);

        var text = JsonSerializer.Serialize(message);

        Assert.Contains("\"Json\":" + EventJson, text, StringComparison.Ordinal);
    }

    [Fact]
    public void RoundTrip_KeepsTheBytesAndParsesTheElement()
    {
        var text = JsonSerializer.Serialize(Message(EventJson));

        var back = JsonSerializer.Deserialize<EventBatchAccepted>(text)!;

        var json = back.Events[0].Json!;
        Assert.Equal(EventJson, Encoding.UTF8.GetString(json.Utf8.Span));
        Assert.Equal(EventJson, json.ToString());
        Assert.Equal("quote \" and é", json.Element.GetProperty("title").GetString());
    }

    [Fact]
    public void Deserialize_AcceptsTheOlderStringForm()
    {
        // A message published before events were carried raw still reads after an upgrade.
        var older = JsonSerializer.Serialize(new { Events = new[] { new { RuleId = "r1", Timestamp = DateTimeOffset.UnixEpoch, Title = "t", Json = EventJson } } });

        var back = JsonSerializer.Deserialize<EventBatchAccepted>(older)!;

        Assert.Equal("r1", back.Events[0].Json!.Element.GetProperty("agent").GetProperty("rule_id").GetString());
        Assert.Equal(EventJson, back.Events[0].Json!.ToString());
    }

    [Fact]
    public void Over_WrapsOneValueOfALargerBufferWithoutCopying()
    {
        var buffer = Encoding.UTF8.GetBytes("[1, " + EventJson + ", 3]");
        using var document = JsonDocument.Parse(buffer);
        var element = document.RootElement[1];
        var start = "[1, ".Length;
        var slice = buffer.AsMemory(start, Encoding.UTF8.GetByteCount(EventJson));

        var raw = RawJson.Over(slice, element);

        Assert.Equal(EventJson, raw.ToString());
        Assert.Equal("r1", raw.Element.GetProperty("agent").GetProperty("rule_id").GetString());
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(raw.Utf8, out var segment));
        Assert.Same(buffer, segment.Array);
        Assert.Equal(start, segment.Offset);
    }

    [Fact]
    public void RoundTrip_WithThePostedBody_CarriesItsBytesAndLeavesOutTheEventsJson()
    {
        var posted = Encoding.UTF8.GetBytes("{\"events\":[" + EventJson + "]}");
        var message = new EventBatchAccepted(Guid.NewGuid(), "b1", "host-1", null, DateTimeOffset.UnixEpoch,
            [new AcceptedEvent("r1", "exec", DateTimeOffset.UnixEpoch, "t", Json: null)], Body: new PostedBatchBody(null, posted, posted.Length));

        var text = JsonSerializer.Serialize(message);
        var back = JsonSerializer.Deserialize<EventBatchAccepted>(text)!;

        Assert.DoesNotContain("\"Json\"", text, StringComparison.Ordinal);
        Assert.Null(back.Events[0].Json);
        Assert.Equal(posted, back.Body!.Content.ToArray());
        Assert.Equal((null, posted.Length), (back.Body.ContentEncoding, back.Body.DecodedLength));
    }

    [Fact]
    public void Over_WrapsASliceWithoutCopying()
    {
        var buffer = Encoding.UTF8.GetBytes("[1, " + EventJson + "]");
        using var document = JsonDocument.Parse(buffer.AsMemory());
        var slice = buffer.AsMemory(4, buffer.Length - 5);

        var raw = RawJson.Over(slice, document.RootElement[1]);

        Assert.Equal(EventJson, raw.ToString());
        Assert.True(raw.Utf8.Span == slice.Span, "the same memory, not a copy");
        Assert.Equal("r1", raw.Element.GetProperty("agent").GetProperty("rule_id").GetString());
    }

    private static EventBatchAccepted Message(string json) =>
        new(Guid.NewGuid(), "b1", "host-1", "7.0.0", DateTimeOffset.UnixEpoch, [new AcceptedEvent("r1", "exec", DateTimeOffset.UnixEpoch, "t", RawJson.Parse(json))]);
}
