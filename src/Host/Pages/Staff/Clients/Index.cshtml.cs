using Booking.Host.Web;
using Booking.PortalAuth.Features.Clients;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff.Clients;

/// <summary>
/// /staff/clients?search=&amp;cursor=: the business's clients by name (ListAdminClients, as GET /api/v1/admin/clients), and
/// the Add client form (AddClient, as POST /api/v1/admin/clients), which leads to the new client's page.
/// </summary>
public sealed class IndexModel(ISender sender) : StaffPageModel
{

    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "search")]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true, Name = "cursor")]
    public string? Cursor { get; set; }

    public AdminClientPage Found { get; private set; } = new([], null);

    [BindProperty]
    public ClientDetailsInput Input { get; set; } = new();

    public async Task OnGetAsync(CancellationToken ct)
    {
        try
        {
            Found = await sender.Send(new ListAdminClients(Search, PageSize, Cursor), ct);
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, field => field == "search" ? "search" : string.Empty))
        {
        }
    }

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        ModelState.Clear();
        try
        {
            var client = await sender.Send(new AddClient(Input.FirstName, Input.LastName, Input.Email, Input.Mobile) { OtherPhone = Input.OtherPhone }, ct);
            TempData[nameof(DetailModel.Notice)] = $"{client.Name} is added.";
            return Redirect($"/staff/clients/{client.Id}");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, ClientDetailsInput.InputName))
        {
            Found = await sender.Send(new ListAdminClients(Search, PageSize, Cursor), ct);
            return Page();
        }
    }
}

/// <summary>The Add client and Edit details forms' fields (_ClientDetailsFields).</summary>
public sealed class ClientDetailsInput
{
    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? Email { get; set; }

    public string? Mobile { get; set; }

    /// <summary>A landline or any other number to call (decision 292); the form always sends it, so blank removes it.</summary>
    public string? OtherPhone { get; set; }

    /// <summary>The API's field name ("firstName") as the form's input name ("Input.FirstName").</summary>
    public static string InputName(string field) => field.Length == 0 ? field : "Input." + char.ToUpperInvariant(field[0]) + field[1..];
}
