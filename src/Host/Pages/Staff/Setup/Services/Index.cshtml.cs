using Booking.Host.Web;
using Booking.Roster.Contracts;
using Booking.Services.Contracts;
using Booking.Services.Features.Catalogue;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff.Setup.Services;

/// <summary>/staff/setup/services: the services, which diaries provide each online, and retiring.</summary>
public sealed class IndexModel(ISender sender) : StaffPageModel
{
    public IReadOnlyList<ServiceView> Services { get; private set; } = [];

    public IReadOnlyDictionary<Guid, DiaryView> Diaries { get; private set; } = new Dictionary<Guid, DiaryView>();

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostRetireAsync(Guid id, CancellationToken ct)
    {
        try
        {
            await sender.Send(new RetireService(id), ct);
            Notice = "Service retired: clients can no longer book it. Restore brings it back as it was.";
            return RedirectToPage();
        }
        catch (Exception ex) when (ModelState.TryAdd(ex))
        {
            await LoadAsync(ct);
            return Page();
        }
    }

    public async Task<IActionResult> OnPostRestoreAsync(Guid id, CancellationToken ct)
    {
        try
        {
            var service = await sender.Send(new RestoreService(id), ct);
            Notice = $"{service.Name} is offered again, as it was when retired.";
            return RedirectToPage();
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, _ => string.Empty)) // a name a live service has: the page has no name field, so above the list
        {
            await LoadAsync(ct);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Services = (await sender.Send(new GetServices(false), ct)).OrderBy(s => s.Retired).ThenBy(s => s.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
        Diaries = (await sender.Send(new GetDiaries(null), ct)).ToDictionary(d => d.Id);
    }

    /// <summary>A diary's name as the Client Portal column shows it: a switched-off diary says so (it takes no online bookings).</summary>
    public string DiaryLabel(Guid id) => Diaries.TryGetValue(id, out var d) ? SwitchedOffDiaries.Label(d) : "?";

    /// <summary>
    /// Why a service clients could otherwise book online is not in the portal because every diary providing it is
    /// switched off (the portal offers a service only with an active diary); null when one of its diaries is on.
    /// </summary>
    public string? AllDiariesOff(ServiceView s) => SwitchedOffDiaries.AllOff(s.DiaryIds, Diaries);
}
