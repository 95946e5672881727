//! Walking every page of a count/offset operation.
//!
//! `/transactions/get`, `/investments/transactions/get` and
//! `/institutions/get` answer one page at a time. Their calls turn into a
//! [`Stream`] of items that fetches pages lazily, in order, with the largest
//! page size, and stops at the total the service reports; or into one
//! `Vec` with [`Call::collect_all`]. An error ends the stream with that error.
//!
//! ```no_run
//! # async fn run(client: plaid_core::Client) -> Result<(), plaid_core::Error> {
//! let start = time::macros::date!(2024 - 01 - 01);
//! let end = time::macros::date!(2024 - 12 - 31);
//! let all = client
//!     .transactions()
//!     .get("access-sandbox-…", start, end)
//!     .collect_all()
//!     .await?;
//! println!("{} transactions", all.len());
//! # Ok(()) }
//! ```

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

pub use futures_core::Stream;

use crate::{Call, Client, Error, PlaidRequest};

/// A count/offset operation: how to ask for a page and read one.
pub trait Paginated: PlaidRequest + Clone + 'static {
    /// What the pages hold.
    type Item: Send + 'static;
    /// The largest page the service allows.
    const MAX_PAGE: i64;
    /// Sets the page size and where the page starts.
    fn set_page(&mut self, count: i64, offset: i64);
    /// The items of a page and the total the service reports.
    fn page(response: Self::Response) -> (Vec<Self::Item>, Option<i64>);
}

/// The most items [`Call::collect_all`] reserves room for up front, however
/// large a total the service reports; past it the result grows as usual.
pub const MAX_RESERVED_ITEMS: usize = 100_000;

type PageFuture<R> =
    Pin<Box<dyn Future<Output = Result<<R as PlaidRequest>::Response, Error>> + Send>>;

/// A [`Stream`] of every item of a paginated operation. From
/// [`Call::into_stream`].
#[must_use = "a stream does nothing until polled"]
pub struct Pages<R: Paginated> {
    client: Client,
    request: R,
    offset: i64,
    total: Option<i64>,
    buffered: VecDeque<R::Item>,
    in_flight: Option<PageFuture<R>>,
    done: bool,
}

impl<R: Paginated> Pages<R> {
    fn new(client: Client, request: R) -> Self {
        Self {
            client,
            request,
            offset: 0,
            total: None,
            buffered: VecDeque::new(),
            in_flight: None,
            done: false,
        }
    }

    fn fetch(&self) -> PageFuture<R> {
        let mut request = self.request.clone();
        request.set_page(R::MAX_PAGE, self.offset);
        let client = self.client.clone();
        Box::pin(async move { client.send(request).await })
    }

    /// Records a fetched page, and whether it was the last one; returns its
    /// items.
    fn absorb(&mut self, response: R::Response) -> Vec<R::Item> {
        let (items, total) = R::page(response);
        let fetched = items.len() as i64;
        self.offset += fetched;
        self.total = total;
        let reached_total = total.is_none_or(|total| self.offset >= total);
        if fetched == 0 || reached_total {
            self.done = true;
        }
        items
    }

    /// The total number of items the service reported with the last page,
    /// if any page has been fetched.
    pub fn total(&self) -> Option<i64> {
        self.total
    }

    /// The rest of the current page, or else the next page, whole; `None`
    /// at the end. An error ends the pages.
    ///
    /// ```no_run
    /// # async fn run(client: plaid_core::Client) -> Result<(), plaid_core::Error> {
    /// # let (start, end) = (time::macros::date!(2024 - 01 - 01), time::macros::date!(2024 - 12 - 31));
    /// let mut pages = client.transactions().get("access-sandbox-…", start, end).into_stream();
    /// while let Some(page) = pages.next_page().await {
    ///     let page = page?;
    ///     println!("{} transactions of {:?}", page.len(), pages.total());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn next_page(&mut self) -> Option<Result<Vec<R::Item>, Error>> {
        if !self.buffered.is_empty() {
            return Some(Ok(self.buffered.drain(..).collect()));
        }
        if self.done {
            return None;
        }
        let in_flight = self.in_flight.take().unwrap_or_else(|| self.fetch());
        match in_flight.await {
            Ok(response) => Some(Ok(self.absorb(response))),
            Err(error) => {
                self.done = true;
                Some(Err(error))
            }
        }
    }
}

impl<R: Paginated> Pages<R> {
    /// The next item, fetching the next page when needed; `None` at the
    /// end. The same as `StreamExt::next` without needing `futures`.
    pub async fn next(&mut self) -> Option<Result<R::Item, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<R: Paginated> Unpin for Pages<R> {}

impl<R: Paginated> Stream for Pages<R> {
    type Item = Result<R::Item, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(item) = self.buffered.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if self.done {
                return Poll::Ready(None);
            }
            if self.in_flight.is_none() {
                let future = self.fetch();
                self.in_flight = Some(future);
            }
            let Some(future) = self.in_flight.as_mut() else {
                continue;
            };
            match future.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(result) => {
                    self.in_flight = None;
                    match result {
                        Ok(response) => {
                            let items = self.absorb(response);
                            self.buffered.extend(items);
                        }
                        Err(error) => {
                            self.done = true;
                            return Poll::Ready(Some(Err(error)));
                        }
                    }
                }
            }
        }
    }
}

impl<R: Paginated> Call<R> {
    /// Every item of every page, as a [`Stream`] that fetches pages lazily.
    pub fn into_stream(self) -> Pages<R> {
        let (client, request) = self.into_parts();
        Pages::new(client, request)
    }

    /// Every item of every page, fetched in order with the largest page size.
    ///
    /// Room for the reported total is reserved once, after the first page
    /// (up to [`MAX_RESERVED_ITEMS`]), so the result is never copied while
    /// it grows.
    pub async fn collect_all(self) -> Result<Vec<R::Item>, Error> {
        let mut pages = self.into_stream();
        let mut all = Vec::new();
        while let Some(page) = pages.next_page().await {
            let page = page?;
            if all.capacity() == 0 {
                let total = pages.total().and_then(|t| usize::try_from(t).ok());
                all.reserve_exact(total.unwrap_or(0).min(MAX_RESERVED_ITEMS).max(page.len()));
            }
            all.extend(page);
        }
        Ok(all)
    }
}

#[cfg(feature = "transactions")]
impl Paginated for crate::models::TransactionsGetRequest {
    type Item = crate::models::Transaction;
    const MAX_PAGE: i64 = 500;

    fn set_page(&mut self, count: i64, offset: i64) {
        let options = self.options.get_or_insert_with(Default::default);
        options.count = Some(count);
        options.offset = Some(offset);
    }

    fn page(response: Self::Response) -> (Vec<Self::Item>, Option<i64>) {
        (response.transactions, response.total_transactions)
    }
}

#[cfg(feature = "investments")]
impl Paginated for crate::models::InvestmentsTransactionsGetRequest {
    type Item = crate::models::InvestmentTransaction;
    const MAX_PAGE: i64 = 500;

    fn set_page(&mut self, count: i64, offset: i64) {
        let options = self.options.get_or_insert_with(Default::default);
        options.count = Some(count);
        options.offset = Some(offset);
    }

    fn page(response: Self::Response) -> (Vec<Self::Item>, Option<i64>) {
        (
            response.investment_transactions,
            response.total_investment_transactions,
        )
    }
}

#[cfg(feature = "institutions")]
impl Paginated for crate::models::InstitutionsGetRequest {
    type Item = crate::models::Institution;
    const MAX_PAGE: i64 = 500;

    fn set_page(&mut self, count: i64, offset: i64) {
        self.count = count;
        self.offset = offset;
    }

    fn page(response: Self::Response) -> (Vec<Self::Item>, Option<i64>) {
        (response.institutions, response.total)
    }
}
