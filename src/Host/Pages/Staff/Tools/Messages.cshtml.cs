using Booking.BuildingBlocks.Problems;
using Booking.Notifications.Features.Messages;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff.Tools;

/// <summary>
/// The sent-messages log: every email and SMS with its delivery status and last error (GET /api/v1/admin/messages);
/// a failed message can be sent again (ResendMessage, as POST /api/v1/admin/messages/{id}/resend).
/// </summary>
public sealed class MessagesModel(ISender sender) : StaffPageModel
{
    public static readonly IReadOnlyList<string> Statuses = ["queued", "retrying", "sent", "failed"];

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    public IReadOnlyList<MessageView> Messages { get; private set; } = [];

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var status = Statuses.Contains(Status) ? Status : null;
        Messages = (await sender.Send(new ListMessages(status, 200), ct)).Items;
    }

    public async Task<IActionResult> OnPostResendAsync(Guid id, CancellationToken ct)
    {
        try
        {
            var message = await sender.Send(new ResendMessage(id), ct);
            Notice = $"The message to {message.To} is queued to be sent again.";
        }
        catch (ProblemException ex) when (ex.Status is 404 or 409)
        {
            Notice = ex.Status == 404 ? "That message no longer exists." : "That message was already sent.";
        }

        return RedirectToPage(new { status = Status });
    }
}
