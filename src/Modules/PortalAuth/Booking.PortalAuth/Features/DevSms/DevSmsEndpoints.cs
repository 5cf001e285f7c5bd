using System.Net;
using System.Text;
using Booking.PortalAuth.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.DevSms;

public sealed record DevSmsView(Guid Id, string Tenant, string To, string Body, DateTimeOffset SentAt);

/// <summary>Development only: what the outbox SMS adapter "sent", across businesses, newest first.</summary>
public static class DevSmsEndpoints
{
    public static void MapDevSms(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dev/api/sms", async (string? to, PortalAuthDbContext db, CancellationToken ct) =>
                Results.Ok(await ListAsync(db, to, ct)))
            .WithName("DevSms")
            .WithTags("Development")
            .Produces<IReadOnlyList<DevSmsView>>();

        app.MapGet("/dev/sms", async (string? to, PortalAuthDbContext db, CancellationToken ct) =>
            {
                var html = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>SMS outbox</title>")
                    .Append("<style>body{font-family:system-ui;margin:2rem}td,th{padding:.3rem .8rem;text-align:left;border-bottom:1px solid #ddd}</style></head>")
                    .Append("<body><h1>SMS outbox (Development)</h1><p>Texts the development adapter would have sent, newest first.</p>")
                    .Append("<table><tr><th>Sent</th><th>Business</th><th>To</th><th>Text</th></tr>");
                foreach (var sms in await ListAsync(db, to, ct))
                {
                    html.Append("<tr><td>").Append(WebUtility.HtmlEncode(sms.SentAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture)))
                        .Append("</td><td>").Append(WebUtility.HtmlEncode(sms.Tenant))
                        .Append("</td><td>").Append(WebUtility.HtmlEncode(sms.To))
                        .Append("</td><td>").Append(WebUtility.HtmlEncode(sms.Body)).Append("</td></tr>");
                }

                html.Append("</table></body></html>");
                return Results.Content(html.ToString(), "text/html; charset=utf-8");
            })
            .ExcludeFromDescription();
    }

    private static async Task<List<DevSmsView>> ListAsync(PortalAuthDbContext db, string? to, CancellationToken ct)
    {
        // A '+' typed unencoded in a query string arrives as a space.
        var phone = to is { Length: > 0 } && to[0] == ' ' ? "+" + to[1..] : to;
        var query = db.DevSms.AsNoTracking();
        if (!string.IsNullOrEmpty(phone))
        {
            query = query.Where(s => s.To == phone);
        }

        return await query.OrderByDescending(s => s.SentAt).ThenByDescending(s => s.Id).Take(200)
            .Select(s => new DevSmsView(s.Id, s.Tenant, s.To, s.Body, s.SentAt))
            .ToListAsync(ct);
    }
}
