using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace Booking.IntegrationTests.Infrastructure;

/// <summary>
/// The app's log events at warning and above (a Serilog sink the Host picks up with <c>ReadFrom.Services</c>), for
/// tests that an expected refusal logs no error. Apps are shared, so a test reads the events of its own business
/// (<see cref="Of"/>: the <c>TenantSlug</c> every line inside a request carries).
/// </summary>
public sealed class CapturedLogs : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> events = new();

    public void Emit(LogEvent logEvent)
    {
        if (logEvent.Level >= LogEventLevel.Warning)
        {
            events.Enqueue(logEvent);
        }
    }

    /// <summary>Every event at <paramref name="level"/> or above, as text: for an app of the test's own (what it logs at start).</summary>
    public IReadOnlyList<string> All(LogEventLevel level = LogEventLevel.Warning) =>
        events.Where(e => e.Level >= level).Select(e => $"[{e.Level}] {e.RenderMessage()}").ToList();

    /// <summary>Events logged inside requests to <paramref name="slug"/>'s business at <paramref name="level"/> or above, as text.</summary>
    public IReadOnlyList<string> Of(string slug, LogEventLevel level = LogEventLevel.Error) =>
        events.Where(e => e.Level >= level
                && e.Properties.TryGetValue("TenantSlug", out var value) && value is ScalarValue { Value: string s } && s == slug)
            .Select(e => $"[{e.Level}] {e.RenderMessage()} {e.Exception?.GetType().Name}: {e.Exception?.Message}")
            .ToList();
}
