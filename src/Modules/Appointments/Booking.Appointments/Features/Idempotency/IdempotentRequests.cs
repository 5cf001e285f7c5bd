using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Booking.Appointments.Data;
using Booking.BuildingBlocks.Problems;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Booking.Appointments.Features.Idempotency;

/// <summary>An answer to give, and to keep for a retry with the same Idempotency-Key.</summary>
public sealed record Answer(int Status, object Body, string? Location = null);

/// <summary>
/// The Idempotency-Key rules of both booking POSTs: keys are scoped to the caller and kept 24 h. The first request
/// claims the key with an insert (unique tenant, caller, key), so of two racing requests one does the work and the
/// other waits for its answer. A repeat with the same body gets the first answer (status and body); another body
/// gets 422 idempotency-key-reuse. Answers of 4xx are kept too (a retried conflict stays a conflict); a 5xx, a 429
/// (busy: try again) or a crash releases the key so the client can retry.
/// </summary>
public sealed class IdempotentRequests(AppointmentsDbContext db, TimeProvider clock)
{
    public const string Header = "Idempotency-Key";
    internal static readonly TimeSpan Kept = TimeSpan.FromHours(24);
    private static readonly TimeSpan WaitForFirst = TimeSpan.FromSeconds(30);

    public async Task<IResult> RunAsync(HttpContext http, Guid callerId, object request, Func<Task<Answer>> work)
    {
        var json = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var key = http.Request.Headers[Header].ToString();
        if (string.IsNullOrEmpty(key))
        {
            return Write(await work(), json);
        }

        if (key.Length > 200)
        {
            throw ProblemException.Invalid(Header, "Use a key of at most 200 characters.");
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request, request.GetType(), json))));
        var ct = http.RequestAborted;
        var tenantId = db.TenantId;
        var deadline = clock.GetUtcNow() + WaitForFirst;
        while (true)
        {
            var now = clock.GetUtcNow();
            var claimed = await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO appointments.idempotency_keys (tenant_id, caller_id, key, request_hash, created_at)
                VALUES ({tenantId}, {callerId}, {key}, {hash}, {now})
                ON CONFLICT (tenant_id, caller_id, key) DO UPDATE
                    SET request_hash = EXCLUDED.request_hash, created_at = EXCLUDED.created_at, status_code = NULL,
                        response_body = NULL, location = NULL
                    WHERE idempotency_keys.created_at < {now - Kept}
                """, ct);
            if (claimed == 1)
            {
                return await DoAsync(tenantId, callerId, key, work, json, ct);
            }

            var first = await db.IdempotencyKeys.AsNoTracking()
                .Where(k => k.CallerId == callerId && k.Key == key)
                .Select(k => new { k.RequestHash, k.StatusCode, k.ResponseBody, k.Location })
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
                if (first.Location is not null)
                {
                    http.Response.Headers.Location = first.Location;
                }

                return Results.Text(first.ResponseBody, status >= 400 ? "application/problem+json" : "application/json", Encoding.UTF8, status);
            }

            if (clock.GetUtcNow() > deadline)
            {
                throw new ProblemException("idempotency-in-progress", 409, "Still working",
                    "The first request with this Idempotency-Key is still running; retry shortly.");
            }

            await Task.Delay(50, ct);
        }
    }

    private async Task<IResult> DoAsync(Guid tenantId, Guid callerId, string key, Func<Task<Answer>> work, JsonSerializerOptions json, CancellationToken ct)
    {
        Answer answer;
        try
        {
            answer = await work();
        }
        catch (Exception ex) when (ex is ProblemException or ValidationException)
        {
            var problem = ProblemWriter.From(ex, out _);
            if (problem.Status >= 500 || problem.Status == StatusCodes.Status429TooManyRequests)
            {
                await ReleaseAsync(tenantId, callerId, key);
                throw;
            }

            answer = new Answer(problem.Status ?? 400, problem);
        }
        catch
        {
            await ReleaseAsync(tenantId, callerId, key);
            throw;
        }

        var body = JsonSerializer.Serialize(answer.Body, answer.Body.GetType(), json);
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            UPDATE appointments.idempotency_keys SET status_code = {answer.Status}, response_body = {body}, location = {answer.Location}
            WHERE tenant_id = {tenantId} AND caller_id = {callerId} AND key = {key}
            """, ct);
        return Write(answer, json);
    }

    private async Task ReleaseAsync(Guid tenantId, Guid callerId, string key) =>
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            DELETE FROM appointments.idempotency_keys WHERE tenant_id = {tenantId} AND caller_id = {callerId} AND key = {key}
            """, CancellationToken.None);

    private static IResult Write(Answer answer, JsonSerializerOptions json)
    {
        var contentType = answer.Status >= 400 ? "application/problem+json" : "application/json";
        var result = Results.Text(JsonSerializer.Serialize(answer.Body, answer.Body.GetType(), json), contentType, Encoding.UTF8, answer.Status);
        return answer.Location is null ? result : new WithLocation(result, answer.Location);
    }

    private sealed class WithLocation(IResult inner, string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
