using System.Globalization;
using Booking.Appointments.Features.Reports;
using Booking.BuildingBlocks.Contracts;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace Booking.Host.Pages.Staff.Reports;

/// <summary>
/// /staff/reports?month=YYYY-MM: a month's figures per diary and in total (GetMonthReport, as GET
/// /api/v1/admin/reports/month), with the month's appointments as CSV. Owners and admins only (decision 275): takings
/// and every diary's figures are the business's, not a practitioner's.
/// </summary>
public sealed class IndexModel(ISender sender) : StaffPageModel
{
    protected override string RoleRefusal => "Only the business's owner and admins can see its reports. Your diary is still open to you.";

    [BindProperty(SupportsGet = true, Name = "month")]
    public string? MonthText { get; set; }

    public MonthReportView Report { get; private set; } = null!;

    public YearMonth Month { get; private set; }

    /// <summary>Set when the month asked for was not one the report can show: the page shows this month instead and says so.</summary>
    public string? MonthNotice { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        try
        {
            Report = await sender.Send(new GetMonthReport(MonthText), ct);
        }
        catch (ValidationException e)
        {
            MonthNotice = $"{e.Errors.First().ErrorMessage} This month is shown instead.";
            Report = await sender.Send(new GetMonthReport(null), ct);
        }

        var parts = Report.Month.Split('-');
        Month = new YearMonth(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    public static string MonthValue(YearMonth month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static string MonthName(YearMonth month) => month.ToString("MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>An amount in the business's way of writing money; "—" for none known.</summary>
    public string Amount(ReportMoney? money) => money is null ? "—" : money.ToMoney().Display(Business.CountryCode);

    public static string Rate(decimal? rate) => rate is { } r ? (r * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "—";

    /// <summary>"3 of 10 appointments have no recorded price …" (booked before prices were kept), or null when every one has.</summary>
    public static string? UnpricedText(MonthFigures f) => f.Unpriced == 0 ? null
        : $"{f.Unpriced} of {f.Appointments} {(f.Appointments == 1 ? "appointment" : "appointments")} {(f.Unpriced == 1 ? "has" : "have")} no recorded price"
          + $" (booked before prices were kept), so {(f.Unpriced == 1 ? "it is" : "they are")} not in the takings.";
}
