using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// The statements EF runs inside requests carrying the header X-Record-Sql, by its value (the app is in this process:
/// EF's diagnostic events, filtered by the request's HttpContext).
/// </summary>
internal sealed class SqlRecorder : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private const string Header = "X-Record-Sql";
    private readonly IHttpContextAccessor http;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> commands = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<RecordedCommand>> withParameters = new();
    private readonly List<IDisposable> subscriptions = [];

    public SqlRecorder(IHttpContextAccessor http)
    {
        this.http = http;
        subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
    }

    public async Task<IReadOnlyList<string>> RecordAsync(HttpClient client, string label, Func<HttpClient, Task<HttpResponseMessage>> send, HttpStatusCode expected = HttpStatusCode.Accepted)
    {
        client.DefaultRequestHeaders.Add(Header, label);
        var answer = await send(client);
        Assert.Equal(expected, answer.StatusCode);
        return [.. commands.GetValueOrDefault(label) ?? new ConcurrentQueue<string>()];
    }

    /// <summary>The statements of the label's requests so far, with copies of their parameters (to run them again, as EXPLAIN).</summary>
    public IReadOnlyList<RecordedCommand> Commands(string label) => [.. withParameters.GetValueOrDefault(label) ?? new ConcurrentQueue<RecordedCommand>()];

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == DbLoggerCategory.Name)
        {
            lock (subscriptions)
            {
                subscriptions.Add(value.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key == RelationalEventId.CommandExecuting.Name && value.Value is CommandEventData data
            && http.HttpContext?.Request.Headers[Header].ToString() is { Length: > 0 } label)
        {
            commands.GetOrAdd(label, _ => new ConcurrentQueue<string>()).Enqueue(data.Command.CommandText);
            withParameters.GetOrAdd(label, _ => new ConcurrentQueue<RecordedCommand>()).Enqueue(
                new RecordedCommand(data.Command.CommandText, [.. data.Command.Parameters.OfType<Npgsql.NpgsqlParameter>().Select(p => p.Clone())]));
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        lock (subscriptions)
        {
            subscriptions.ForEach(s => s.Dispose());
        }
    }
}

/// <summary>A statement EF ran, and copies of its parameters.</summary>
internal sealed record RecordedCommand(string Text, IReadOnlyList<Npgsql.NpgsqlParameter> Parameters);
