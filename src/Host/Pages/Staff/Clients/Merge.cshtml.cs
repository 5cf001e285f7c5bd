using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Problems;
using Booking.Host.Web;
using Booking.PortalAuth.Features.Merge;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff.Clients;

/// <summary>
/// /staff/clients/{id}/merge?with={otherId}: owners and admins merge two records of one person (MergeClients, as POST
/// /api/v1/admin/clients/{id}/merge). The page's client is kept, <c>with</c> is merged away ("Keep … instead" swaps them);
/// both are shown side by side with what the merge carries over and what goes, and a refusal (both with an email, or a
/// proven mobile against another number) is said before anything is posted. Done: the kept client's page with what moved.
/// Either id missing or another business's: the not-found page (a merged-away client's id is gone, decision 287).
/// </summary>
public sealed class MergeModel(ISender sender) : StaffPageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    /// <summary>The client merged away.</summary>
    [FromQuery(Name = "with")]
    public Guid With { get; set; }

    public ClientMergePreview Preview { get; private set; } = null!;

    /// <summary>Appointments (any status) of the kept and the merged-away client.</summary>
    public (int Keep, int Away) Appointments { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await LoadAsync(ct) ? Page() : NotFoundPage();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFoundPage();
        }

        try
        {
            var kept = await sender.Send(new MergeClients(Id, With.ToString()), ct);
            TempData["Notice"] = $"{Preview.Away.Name} ({Since(Preview.Away)}) is merged into {kept.Name}: "
                + $"{Count(Appointments.Away, "appointment")} and {Count(Preview.Away.Pets, "pet")} moved here. The other record is gone.";
            return Redirect($"/staff/clients/{Id}");
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            return NotFoundPage();
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, _ => string.Empty))
        {
            return await LoadAsync(ct) ? Page() : NotFoundPage();
        }
    }

    /// <summary>"since 3 Dec": when the record was made, in the business's words.</summary>
    public string Since(MergeSide side) => "on file since " + Day(side);

    /// <summary>The day the record was made ("3 Dec"); CreatedAt carries the business's offset already.</summary>
    public string Day(MergeSide side) => Dates.DayMonth(NodaTime.LocalDate.FromDateTime(side.CreatedAt.DateTime));

    public static string Count(int n, string what) => n == 1 ? $"1 {what}" : $"{n} {what}s";

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        try
        {
            Preview = await sender.Send(new PreviewClientMerge(Id, With), ct);
            var counts = await sender.Send(new CountClientAppointments([Id, With]), ct);
            Appointments = (counts.GetValueOrDefault(Id), counts.GetValueOrDefault(With));
            return true;
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            return false;
        }
        catch (FluentValidation.ValidationException)
        {
            return false; // the client with itself: no second record to merge
        }
    }

    private IActionResult NotFoundPage() =>
        Stopped(404, "Client not found", "One of these clients is not on file: another business's, or merged already.");
}
