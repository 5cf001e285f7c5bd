using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Booking.BuildingBlocks.Problems;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Booking.Appointments.Features.Idempotency;

/// <summary>An answer to give, and to keep for a retry with the same Idempotency-Key.</summary>
public sealed record Answer(int Status, object Body, string? Location = null);

/// <summary>
/// The Idempotency-Key rules of both booking POSTs: keys are scoped to the caller and kept 24 h. The first request
/// claims the key with an insert (unique tenant, caller, key), so of two racing requests one does the work and the
/// other waits for its answer. A repeat with the same body gets the first answer (status and body); another body
/// gets 422 idempotency-key-reuse. Answers of 4xx are kept too (a retried conflict stays a conflict); a 5xx, a 429
/// (busy: try again) or an exception releases the key so the client can retry.
/// A process that dies mid-request (decision 61) leaves a claim with no answer. The booking writes its appointment's
/// id on the key in the booking's own transaction (<see cref="MarkBooked"/>), so the key tells which way it went: a
/// booking that was saved is answered from the appointment (<c>recover</c>); a claim with no booking, older than
/// <see cref="Abandoned"/>, is taken over by the next repeat under a new claim, and the old request, should it still
/// be running, can no longer save (its mark requires its own claim, and fails the whole save).
/// </summary>
public sealed class IdempotentRequests(AppointmentsDbContext db, TimeProvider clock, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> jsonOptions,
    Scheduling.ReadBack readBack, ILogger<IdempotentRequests> logger)
{
    public const string Header = "Idempotency-Key";
    internal static readonly TimeSpan Kept = TimeSpan.FromHours(24);

    /// <summary>
    /// Far longer than a booking normally runs (its queue for a turn is 30 s, then a few statements); one that runs
    /// longer still and loses its key saves nothing (its mark fails), so the bound is about waiting, not safety.
    /// </summary>
    internal static readonly TimeSpan Abandoned = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan WaitForFirst = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The claim on a key whose request has ended without storing an answer although its booking is there: a booking
    /// whose commit became visible only after the request had answered 503 <c>booking-not-saved</c> (<see cref="ReleaseAsync"/>).
    /// A repeat answers from the booking at once instead of waiting for a first request that is no longer running.
    /// </summary>
    private static readonly Guid Ended = Guid.Empty;

    private Claimed? claimed;

    /// <summary>
    /// Called by the booking before each save: with a claimed key, the save also marks the key with the appointment,
    /// and only while this request's claim holds (else the save fails whole: nothing is booked).
    /// </summary>
    public void MarkBooked(Guid appointmentId)
    {
        if (claimed is null)
        {
            return;
        }

        var entry = db.IdempotencyKeys.Attach(new IdempotencyRecord { TenantId = claimed.TenantId, CallerId = claimed.CallerId, Key = claimed.Key, Claim = claimed.Claim });
        entry.Property(x => x.AppointmentId).CurrentValue = appointmentId;
    }

    public async Task<IResult> RunAsync(HttpContext http, Guid callerId, object request, Func<Task<Answer>> work, Func<Guid, Task<Answer>> recover)
    {
        var json = jsonOptions.Value.SerializerOptions;
        var key = http.Request.Headers[Header].ToString();
        if (string.IsNullOrEmpty(key))
        {
            return Write(await work(), json);
        }

        if (key.Length > 200)
        {
            throw ProblemException.Invalid(Header, "Use a key of at most 200 characters.");
        }

        var kept = await KeepAsync(callerId, key, request, work, recover, json, freeRefusals: false, http.RequestAborted);
        var result = Results.Text(kept.Body, kept.Status >= 400 ? "application/problem+json" : "application/json", Encoding.UTF8, kept.Status);
        return kept.Location is null ? result : new WithLocation(result, kept.Location);
    }

    /// <summary>
    /// The same rules for a page's form, whose key is a hidden field rendered with the form (the portal's confirm page):
    /// the first answer's body (<typeparamref name="T"/>) again, or the first answer's problem thrown again, so a
    /// repeated post shows what the first one got. <paramref name="request"/> is what the form posted (its hash tells a
    /// repeat from another request under the same key). Without a key the work simply runs.
    /// </summary>
    public Task<T> RunAsync<T>(Guid callerId, string? key, object request, Func<Task<Answer>> work, Func<Guid, Task<Answer>> recover, CancellationToken ct) =>
        RunAsync<T>(callerId, key, request, work, recover, freeRefusals: false, ct);

    /// <summary>
    /// As the form's <c>RunAsync</c> above; with <paramref name="freeRefusals"/> (the confirm page) a refusal (a 4xx
    /// problem: it saved nothing) frees the key instead of being kept on it, so the same form, put right, is sent under it
    /// again; a post that booked is still answered from its booking (decision 310).
    /// </summary>
    public async Task<T> RunAsync<T>(Guid callerId, string? key, object request, Func<Task<Answer>> work, Func<Guid, Task<Answer>> recover, bool freeRefusals,
        CancellationToken ct)
    {
        var json = jsonOptions.Value.SerializerOptions;
        KeptAnswer kept;
        if (string.IsNullOrEmpty(key))
        {
            var answer = await work();
            kept = new KeptAnswer(answer.Status, JsonSerializer.Serialize(answer.Body, answer.Body.GetType(), json), answer.Location);
        }
        else
        {
            if (key.Length > 200)
            {
                throw ProblemException.Invalid(Header, "Use a key of at most 200 characters.");
            }

            kept = await KeepAsync(callerId, key, request, work, recover, json, freeRefusals, ct);
        }

        if (kept.Status >= 400)
        {
            throw Problem(kept.Body);
        }

        return JsonSerializer.Deserialize<T>(kept.Body, json)!;
    }

    /// <summary>A kept problem as the exception that makes it (its kind, status, texts, field errors and other fields).</summary>
    private static ProblemException Problem(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var type = Text("type") ?? ProblemKinds.Uri(ProblemKinds.ServerError);
        var kind = type.StartsWith(ProblemKinds.BaseUri, StringComparison.Ordinal) ? type[ProblemKinds.BaseUri.Length..] : ProblemKinds.ServerError;
        var status = root.TryGetProperty("status", out var s) && s.TryGetInt32(out var n) ? n : 500;
        var problem = new ProblemException(kind, status, Text("title") ?? "That did not work.", Text("detail"));
        foreach (var member in root.EnumerateObject())
        {
            if (member.Name is "errors" && member.Value.ValueKind == JsonValueKind.Object)
            {
                problem.Extensions["errors"] = member.Value.EnumerateObject().ToDictionary(
                    e => e.Name, e => e.Value.ValueKind == JsonValueKind.Array ? e.Value.EnumerateArray().Select(m => m.GetString() ?? "").ToArray() : []);
            }
            else if (member.Name is not ("type" or "title" or "status" or "detail" or "instance" or "errors"))
            {
                // The problem's own fields (e.g. slot-unavailable's reason), on the first answer and on every repeat.
                problem.Extensions[member.Name] = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : member.Value.Clone();
            }
        }

        return problem;
    }

    private async Task<KeptAnswer> KeepAsync(Guid callerId, string key, object request, Func<Task<Answer>> work, Func<Guid, Task<Answer>> recover, JsonSerializerOptions json,
        bool freeRefusals, CancellationToken ct)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request, request.GetType(), json))));
        var tenantId = db.TenantId;
        var deadline = clock.GetUtcNow() + WaitForFirst;
        while (true)
        {
            var now = clock.GetUtcNow();
            var claim = Guid.CreateVersion7();
            var taken = await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO appointments.idempotency_keys (tenant_id, caller_id, key, request_hash, created_at, claim)
                VALUES ({tenantId}, {callerId}, {key}, {hash}, {now}, {claim})
                ON CONFLICT (tenant_id, caller_id, key) DO UPDATE
                    SET request_hash = EXCLUDED.request_hash, created_at = EXCLUDED.created_at, claim = EXCLUDED.claim,
                        status_code = NULL, response_body = NULL, location = NULL, appointment_id = NULL
                    WHERE idempotency_keys.created_at < {now - Kept}
                       OR (idempotency_keys.status_code IS NULL AND idempotency_keys.appointment_id IS NULL
                           AND idempotency_keys.request_hash = EXCLUDED.request_hash AND idempotency_keys.created_at < {now - Abandoned})
                """, ct);
            if (taken == 1)
            {
                claimed = new Claimed(tenantId, callerId, key, claim);
                return await DoAsync(work, json, freeRefusals);
            }

            var first = await db.IdempotencyKeys.AsNoTracking()
                .Where(k => k.CallerId == callerId && k.Key == key)
                .Select(k => new { k.RequestHash, k.StatusCode, k.ResponseBody, k.Location, k.AppointmentId, k.CreatedAt, k.Claim })
                .FirstOrDefaultAsync(ct);
            if (first is null)
            {
                continue; // released by a failed first request: claim it again
            }

            if (first.RequestHash != hash)
            {
                throw new ProblemException(ProblemKinds.IdempotencyKeyReuse, 422, "Idempotency-Key reused",
                    "This Idempotency-Key was used for a different request.");
            }

            if (first.StatusCode is { } status)
            {
                return new KeptAnswer(status, first.ResponseBody ?? "", first.Location);
            }

            if (first.AppointmentId is { } booked && (first.Claim == Ended || first.CreatedAt.ToDateTimeOffset() < now - Abandoned || now > deadline))
            {
                // Booked, and the answer never stored: the first request died after its save, or answered 503 before its
                // commit could be seen (Ended). Answer from the booking.
                var answer = await recover(booked);
                return await StoreAsync(new Claimed(tenantId, callerId, key, first.Claim), answer, json, ct);
            }

            if (now > deadline)
            {
                throw new ProblemException(ProblemKinds.IdempotencyInProgress, 409, "Still working",
                    "The first request with this Idempotency-Key is still running; retry shortly.");
            }

            await Task.Delay(50, ct);
        }
    }

    private async Task<KeptAnswer> DoAsync(Func<Task<Answer>> work, JsonSerializerOptions json, bool freeRefusals)
    {
        var mine = claimed!;
        Answer answer;
        try
        {
            answer = await work();
        }
        catch (DbUpdateConcurrencyException)
        {
            // The mark found another claim on the key: this request outlived its claim and a repeat took the key over.
            // Nothing was saved, and the key is the other request's now.
            throw new ProblemException(ProblemKinds.ChangedMeanwhile, 409, "Taken over",
                "A repeat of this request with the same Idempotency-Key took over while this one ran; its answer is the one that counts.");
        }
        catch (Exception ex) when (ex is ProblemException or ValidationException)
        {
            var problem = ProblemWriter.From(ex, out _);
            if (problem.Status >= 500 || problem.Status == StatusCodes.Status429TooManyRequests || freeRefusals)
            {
                await ReleaseAsync(mine);
                throw;
            }

            answer = new Answer(problem.Status ?? 400, problem);
        }
        catch
        {
            await ReleaseAsync(mine);
            throw;
        }
        finally
        {
            claimed = null;
        }

        // Kept even when the caller has gone (a browser drops the first post of a double click): the repeat is waiting for it.
        return await StoreAsync(mine, answer, json, CancellationToken.None);
    }

    /// <summary>Keeps the answer for repeats, on the key as long as the claim is still the one it is answered under.</summary>
    private async Task<KeptAnswer> StoreAsync(Claimed key, Answer answer, JsonSerializerOptions json, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(answer.Body, answer.Body.GetType(), json);
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            UPDATE appointments.idempotency_keys SET status_code = {answer.Status}, response_body = {body}, location = {answer.Location}
            WHERE tenant_id = {key.TenantId} AND caller_id = {key.CallerId} AND key = {key.Key} AND claim = {key.Claim} AND status_code IS NULL
            """, ct);
        return new KeptAnswer(answer.Status, body, answer.Location);
    }

    /// <summary>
    /// Frees the key of a request that failed (a 5xx, a 429, an exception) for the client's retry. A key its booking marked
    /// is kept: that booking was saved after all (a commit seen only after the read-back; the delete waits for a commit
    /// still under way, as it holds the key's row), so the key is marked <see cref="Ended"/> and the retry answers the
    /// booking. Bounded as the read-back is (<see cref="Scheduling.ReadBack"/>): with the database not answering, the key
    /// stays claimed, the failure is answered as it was, and a repeat takes the key over once it is abandoned.
    /// </summary>
    private async Task ReleaseAsync(Claimed key)
    {
        using var bound = new CancellationTokenSource(readBack.Bound);
        try
        {
            var freed = await db.Database.ExecuteSqlInterpolatedAsync($"""
                DELETE FROM appointments.idempotency_keys
                WHERE tenant_id = {key.TenantId} AND caller_id = {key.CallerId} AND key = {key.Key} AND claim = {key.Claim} AND appointment_id IS NULL
                """, bound.Token);
            if (freed == 0)
            {
                await db.Database.ExecuteSqlInterpolatedAsync($"""
                    UPDATE appointments.idempotency_keys SET claim = {Ended}
                    WHERE tenant_id = {key.TenantId} AND caller_id = {key.CallerId} AND key = {key.Key} AND claim = {key.Claim}
                      AND appointment_id IS NOT NULL AND status_code IS NULL
                    """, bound.Token);
            }
        }
        catch (Exception ex) when (bound.IsCancellationRequested || ex is Npgsql.NpgsqlException or TimeoutException or IOException)
        {
            logger.LogWarning(ex, "Idempotency-Key of a failed request could not be released within {Seconds} s; a repeat takes it over once abandoned",
                readBack.Bound.TotalSeconds);
        }
    }

    private sealed record Claimed(Guid TenantId, Guid CallerId, string Key, Guid Claim);

    /// <summary>An answer as kept on the key: status, the body's JSON, the Location.</summary>
    private sealed record KeptAnswer(int Status, string Body, string? Location);

    private static IResult Write(Answer answer, JsonSerializerOptions json)
    {
        var contentType = answer.Status >= 400 ? "application/problem+json" : "application/json";
        var result = Results.Text(JsonSerializer.Serialize(answer.Body, answer.Body.GetType(), json), contentType, Encoding.UTF8, answer.Status);
        return answer.Location is null ? result : new WithLocation(result, answer.Location);
    }

    private sealed class WithLocation(IResult inner, string location) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => (inner as IStatusCodeHttpResult)?.StatusCode;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
