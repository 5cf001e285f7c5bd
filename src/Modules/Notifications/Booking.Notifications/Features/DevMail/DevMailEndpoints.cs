using System.Net;
using System.Text;
using System.Text.Json;
using Booking.Notifications.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Booking.Notifications.Features.DevMail;

/// <param name="Url">Where the dev sink serves the attachment (<c>/dev/api/mail/{id}/attachments/{index}</c>); null for mail kept before its bytes were.</param>
public sealed record DevMailAttachment(string FileName, string ContentType, string? Url = null);

/// <summary>An attachment as the sink keeps it: with its bytes, base64 (<c>DevMailSink</c>).</summary>
internal sealed record StoredDevMailAttachment(string FileName, string ContentType, string? Content);

public sealed record DevMailView(Guid Id, string Tenant, string To, string Subject, string Text, string Html, IReadOnlyList<DevMailAttachment> Attachments, DateTimeOffset SentAt);

/// <summary>Development only: what the local mail sink received, across businesses (mapped only in Development).</summary>
public static class DevMailEndpoints
{
    public static void MapDevMail(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dev/api/mail", async (string? to, NotificationsDbContext db, CancellationToken ct) =>
                Results.Ok(await LoadAsync(db, to, ct)))
            .WithName("DevMail")
            .WithTags("Development")
            .Produces<IReadOnlyList<DevMailView>>();

        // One attachment of one message, as sent (the .ics a confirmation carries): Development only and loopback only,
        // as every /dev route (LocalDevelopmentRoutesMiddleware).
        app.MapGet("/dev/api/mail/{id:guid}/attachments/{index:int}", async (Guid id, int index, NotificationsDbContext db, CancellationToken ct) =>
            {
                var stored = await db.DevMail.AsNoTracking().Where(m => m.Id == id).Select(m => m.Attachments).FirstOrDefaultAsync(ct);
                var attachments = stored is null ? [] : Read(stored);
                return index >= 0 && index < attachments.Count && attachments[index].Content is { } content
                    ? Results.File(Convert.FromBase64String(content), attachments[index].ContentType, attachments[index].FileName)
                    : Results.NotFound();
            })
            .WithName("DevMailAttachment")
            .WithTags("Development")
            .ExcludeFromDescription();

        app.MapGet("/dev/mail", async (string? to, NotificationsDbContext db, CancellationToken ct) =>
            {
                var mails = await LoadAsync(db, to, ct);
                var html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Dev mail</title>"
                    + "<style>body{font-family:sans-serif;margin:2em}details{border:1px solid #ccc;margin:.5em 0;padding:.5em}pre{white-space:pre-wrap}</style></head><body>"
                    + "<h1>Development mail sink</h1><p>Newest first. Filter: <code>?to=address</code></p>");
                foreach (var m in mails)
                {
                    html.Append("<details><summary>").Append(WebUtility.HtmlEncode($"{m.SentAt:u} · {m.Tenant} · {m.To} · {m.Subject}")).Append("</summary>")
                        .Append("<pre>").Append(WebUtility.HtmlEncode(m.Text)).Append("</pre>");
                    if (m.Attachments.Count > 0)
                    {
                        html.Append("<p>Attachments: ").AppendJoin(", ", m.Attachments.Select(a =>
                            (a.Url is null ? WebUtility.HtmlEncode(a.FileName) : $"<a href=\"{WebUtility.HtmlEncode(a.Url)}\">{WebUtility.HtmlEncode(a.FileName)}</a>")
                            + WebUtility.HtmlEncode($" ({a.ContentType})"))).Append("</p>");
                    }

                    // The HTML part in a sandboxed frame: shown as the recipient would see it, no script runs.
                    html.Append("<iframe sandbox style=\"width:100%;height:400px;border:0\" srcdoc=\"").Append(WebUtility.HtmlEncode(m.Html)).Append("\"></iframe></details>");
                }

                html.Append("</body></html>");
                return Results.Content(html.ToString(), "text/html; charset=utf-8");
            })
            .WithName("DevMailPage")
            .WithTags("Development")
            .ExcludeFromDescription();
    }

    private static async Task<IReadOnlyList<DevMailView>> LoadAsync(NotificationsDbContext db, string? to, CancellationToken ct)
    {
        var query = db.DevMail.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(to))
        {
            var address = to.Trim().ToLowerInvariant();
            query = query.Where(m => m.To == address);
        }

        var rows = await query.OrderByDescending(m => m.SentAt).Take(200).ToListAsync(ct);
        return rows.Select(m => new DevMailView(m.Id, m.TenantSlug, m.To, m.Subject, m.Text, m.Html,
            Read(m.Attachments).Select((a, i) => new DevMailAttachment(a.FileName, a.ContentType, a.Content is null ? null : $"/dev/api/mail/{m.Id}/attachments/{i}")).ToList(),
            m.SentAt)).ToList();
    }

    private static List<StoredDevMailAttachment> Read(string json) => JsonSerializer.Deserialize<List<StoredDevMailAttachment>>(json, JsonOptions) ?? [];

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
