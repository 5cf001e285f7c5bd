using System.Collections.Concurrent;
using System.Diagnostics;

namespace Booking.IntegrationTests.Infrastructure;

/// <summary>
/// Counts the round trips to PostgreSQL that one piece of work makes, told apart from everything else the process runs
/// at the same time (other test classes, relays, Hangfire) by the trace it runs in: a request sent with
/// <see cref="Header"/> (ASP.NET Core continues the trace named there), or code run inside <see cref="Start"/>. A round
/// trip is a command Npgsql sends (its "Npgsql" activity: statements of one batch go together) or a commit or rollback
/// (EF's transaction events; BEGIN and savepoints ride along with the next command and cost none of their own). Opening
/// a physical connection is not counted: the pool does that only when it has none idle.
/// </summary>
public sealed class RoundTrips : IDisposable
{
    private readonly ConcurrentQueue<(ActivityTraceId Trace, string What)> seen = new();
    private readonly ActivityListener listener;
    private readonly IDisposable listeners;
    private readonly List<IDisposable> subscriptions = [];

    public RoundTrips()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Npgsql" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                // Npgsql's "CONNECT <database>" is the pool opening a physical connection, which happens only when none
                // was idle (the whole suite's load, a pool pruned): the pool's cost, not the work's.
                if (a.Source.Name == "Npgsql" && !(a.GetTagItem("db.query.text") is null && a.DisplayName.StartsWith("CONNECT", StringComparison.Ordinal)))
                {
                    seen.Enqueue((a.TraceId, a.GetTagItem("db.query.text") as string ?? a.DisplayName));
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        listeners = DiagnosticListener.AllListeners.Subscribe(new Observer<DiagnosticListener>(l =>
        {
            if (l.Name == "Microsoft.EntityFrameworkCore")
            {
                lock (subscriptions)
                {
                    subscriptions.Add(l.Subscribe(
                        new Observer<KeyValuePair<string, object?>>(e =>
                        {
                            if (Activity.Current is { } current)
                            {
                                seen.Enqueue((current.TraceId, e.Key.EndsWith("TransactionCommitted", StringComparison.Ordinal) ? "COMMIT" : "ROLLBACK"));
                            }
                        }),
                        name => name.EndsWith("TransactionCommitted", StringComparison.Ordinal) || name.EndsWith("TransactionRolledBack", StringComparison.Ordinal)));
                }
            }
        }));
    }

    /// <summary>A new trace, and the traceparent header that makes a request part of it.</summary>
    public static (ActivityTraceId Trace, (string Name, string Value) Header) NewTrace()
    {
        var trace = ActivityTraceId.CreateRandom();
        return (trace, ("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01"));
    }

    /// <summary>Runs code as part of a new trace (Activity.Current flows into what it awaits).</summary>
    public static Activity Start(string name)
    {
        var activity = new Activity(name);
        activity.SetIdFormat(ActivityIdFormat.W3C);
        return activity.Start();
    }

    /// <summary>The round trips of a trace so far: each command's SQL, "COMMIT" or "ROLLBACK".</summary>
    public IReadOnlyList<string> Of(ActivityTraceId trace) => seen.Where(s => s.Trace == trace).Select(s => s.What).ToList();

    public void Dispose()
    {
        listener.Dispose();
        listeners.Dispose();
        lock (subscriptions)
        {
            subscriptions.ForEach(s => s.Dispose());
        }
    }

    private sealed class Observer<T>(Action<T> next) : IObserver<T>
    {
        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void OnNext(T value) => next(value);
    }
}
