using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Booking.Notifications.Features.Messages;
using Booking.Notifications.Features.Settings;
using Booking.Notifications.Features.Templates;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Booking.Notifications.Features;

/// <summary>Tools → Communication (templates), notification settings, and the message log. Thin: HTTP → mediator.</summary>
public static class NotificationsEndpoints
{
    // Templates, settings, preview and the message log are setup: owner and admin only (a practitioner reads the diary).
    private const string Tag = "Notifications";

    public static void MapTemplates(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/admin/templates", async (ISender sender, CancellationToken ct) => Results.Ok(await sender.Send(new ListTemplates(), ct)))
            .RequireStaff(StaffRoles.Setup).WithName("ListTemplates").WithTags(Tag).Produces<TemplateList>();

        app.MapGet("/api/v1/admin/templates/{id}", async (string id, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetTemplate(ParseId(id)), ct)))
            .RequireStaff(StaffRoles.Setup).WithName("GetTemplate").WithTags(Tag).Produces<TemplateView>();

        app.MapPost("/api/v1/admin/templates", async (TemplateInput body, ISender sender, CancellationToken ct) =>
            {
                var created = await sender.Send(new CreateTemplate(body.Name, body.Subject, body.Body), ct);
                return Results.Created($"/api/v1/admin/templates/{created.Id}", created);
            })
            .RequireStaff(StaffRoles.Setup).WithName("CreateTemplate").WithTags(Tag)
            .Accepts<TemplateInput>("application/json").Produces<TemplateView>(StatusCodes.Status201Created).ProducesValidationProblem();

        app.MapPut("/api/v1/admin/templates/{id}", async (string id, TemplateInput body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new UpdateTemplate(ParseId(id), body.Name, body.Subject, body.Body), ct)))
            .RequireStaff(StaffRoles.Setup).WithName("UpdateTemplate").WithTags(Tag).Answers(409, ProblemKinds.ChangedMeanwhile)
            .Accepts<TemplateInput>("application/json").Produces<TemplateView>().ProducesValidationProblem();

        app.MapDelete("/api/v1/admin/templates/{id}", async (string id, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new DeleteTemplate(ParseId(id)), ct);
                return Results.NoContent();
            })
            .RequireStaff(StaffRoles.Setup).WithName("DeleteTemplate").WithTags(Tag).Produces(StatusCodes.Status204NoContent)
            .Answers(409, DeleteTemplateHandler.InUse)
            .WithSummary("Delete a template no notification uses; one in use is 409 template-in-use, usedBy naming the notifications.");

        app.MapPost("/api/v1/admin/templates/preview", async (TemplatePreviewInput body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new PreviewTemplate(body.Subject, body.Body, body.Notification), ct)))
            .RequireStaff(StaffRoles.Setup).WithName("PreviewTemplate").WithTags(Tag)
            .WithSummary("The text as the email of `notification` (notifyDiaryContactOnNew, the default; notifyDiaryContactOnCancelled; "
                + "extraAddressesOnNew) would carry it, sample values filled in, with that email's footer.")
            .Accepts<TemplatePreviewInput>("application/json").Produces<TemplatePreview>().ProducesValidationProblem();
    }

    public static void MapNotificationSettings(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/admin/notification-settings", async (ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetNotificationSettings(), ct)))
            .RequireStaff(StaffRoles.Setup).WithName("GetNotificationSettings").WithTags(Tag).Produces<NotificationSettingsView>();

        app.MapPut("/api/v1/admin/notification-settings", async (NotificationSettingsView body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new PutNotificationSettings(body.NotifyDiaryContactOnNew, body.NotifyDiaryContactOnCancelled, body.ExtraAddressesOnNew, body.IncludeStaffChanges), ct)))
            .RequireStaff(StaffRoles.Setup).WithName("PutNotificationSettings").WithTags(Tag).Answers(409, ProblemKinds.ChangedMeanwhile)
            .Accepts<NotificationSettingsView>("application/json").Produces<NotificationSettingsView>().ProducesValidationProblem();

        // A fresh confirmation email (a new link; the earlier one stops working) to an extra address still waiting.
        app.MapPost("/api/v1/admin/notification-settings/extra-addresses/send-confirmation", async (AddressBody body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ResendAddressConfirmation(body.Address), ct)))
            .RequireStaff(StaffRoles.Setup).WithName("SendAddressConfirmation").WithTags(Tag).Answers(429, ProblemKinds.RateLimited)
            .WithSummary("Send an extra address waiting for confirmation its confirmation email again (3 a day per address).")
            .Accepts<AddressBody>("application/json").Produces<ExtraAddressState>().ProducesValidationProblem();
    }

    /// <summary>Body of the send-confirmation route.</summary>
    public sealed record AddressBody(string? Address);

    public static void MapMessages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/admin/messages", async (string? status, string? limit, string? cursor, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ListMessages(string.IsNullOrEmpty(status) ? null : status, QueryLimit.Read(limit), cursor), ct)))
            .RequireStaff(StaffRoles.Setup).WithName("ListMessages").WithTags(Tag).Answers(400, ProblemKinds.Validation)
            .WithSummary("Messages newest first; keyset paging with limit (1–500, default 100) and cursor (nextCursor).")
            .Produces<MessageList>().ProducesValidationProblem();

        // Owner and admin: a resend sends email in the business's name.
        app.MapPost("/api/v1/admin/messages/{id}/resend", async (string id, ResendBody? body, HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ResendMessage(ProblemException.IdOrNotFound(id, "No such message."), body?.To,
                    http.User.FindFirst(BookingClaims.Name)?.Value), ct)))
            .RequireStaff(StaffRoles.Setup).WithName("ResendMessage").WithTags(Tag).Answers(409, ResendMessageHandler.AlreadySent, ResendMessageHandler.SignInEmail, ResendMessageHandler.ConfirmationEmail, ResendMessageHandler.NoLongerCurrent, ResendMessageHandler.Unsubscribed)
            .WithSummary("Send a permanently failed message again.").Produces<MessageView>().ProducesProblem(StatusCodes.Status409Conflict);
    }

    /// <summary>A malformed id answers 404 like a missing one.</summary>
    private static Guid ParseId(string id) => ProblemException.IdOrNotFound(id, "No such template.");
}
