using Booking.Notifications.Features.Messages;
using Mediator;

namespace Booking.Host.Pages.Staff.Tools;

/// <summary>The sent-messages log: every email and SMS with its delivery status and last error (GET /api/v1/admin/messages).</summary>
public sealed class MessagesModel(ISender sender) : StaffPageModel
{
    public static readonly IReadOnlyList<string> Statuses = ["queued", "sent", "failed"];

    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    public IReadOnlyList<MessageView> Messages { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var status = Statuses.Contains(Status) ? Status : null;
        Messages = (await sender.Send(new ListMessages(status, 200), ct)).Items;
    }
}
