/// How far from today a date given as input may lie before it is refused as a typing error
/// (a birth date in 2206, a payment dated 1926). Each rule names the date it compares with;
/// "today" is the facility's calendar day (``BillingCalendar`` in RevenueCycle, `RCM_NOW`).
public enum PlausibleDates {
    /// A payment is dated at most this many days before today (seven years: the longest records
    /// retention payers and providers keep for claims, e.g. IRDAI's and CMS's).
    public static let paymentDaysBack = 7 * 366
    /// A payment is dated at most this many days after today (a post-dated cheque, a payer's
    /// announced payment run).
    public static let paymentDaysAhead = 31
    /// A patient is at most this many years old on the date of service.
    public static let oldestAgeYears = 130

    /// Why `date` is not a plausible payment date, or `nil`.
    public static func paymentDateProblem(_ date: ServiceDate, today: ServiceDate) -> String? {
        if date > today.adding(days: paymentDaysAhead) {
            return "\(date) is more than \(paymentDaysAhead) days after today (\(today))"
        }
        if date < today.adding(days: -paymentDaysBack) {
            return "\(date) is more than seven years before today (\(today))"
        }
        return nil
    }

    /// Why `date` is not a plausible birth date for a patient seen on `serviceDate` (and by
    /// `today`), or `nil`: not after the date of service or today, not over
    /// ``oldestAgeYears`` years before it.
    public static func birthDateProblem(_ date: ServiceDate, serviceDate: ServiceDate?, today: ServiceDate) -> String? {
        let reference = min(serviceDate ?? today, today)
        if date > today { return "\(date) is in the future (today is \(today))" }
        if let serviceDate, date > serviceDate { return "\(date) is after the date of service \(serviceDate)" }
        if date.year < reference.year - oldestAgeYears {
            return "\(date) would make the patient over \(oldestAgeYears) years old"
        }
        return nil
    }
}
